using System.Text.Json.Serialization;

namespace FastAgents.Gate.Cases;

/// <summary>System.Text.Json source-generated metadata for the serializer case's peer.</summary>
[JsonSerializable(typeof(SmallMessage))]
public sealed partial class SmallMessageJsonContext : JsonSerializerContext
{
}
