using System.Text.Json.Serialization;

namespace FastAgents.Gate.Comparison;

/// <summary>Source-generated JSON metadata for the baseline file and the measurements a child process hands back.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GateBaseline))]
[JsonSerializable(typeof(List<CaseMeasurement>))]
public sealed partial class GateJsonContext : JsonSerializerContext
{
}
