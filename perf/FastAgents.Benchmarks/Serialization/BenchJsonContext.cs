using System.Text.Json.Serialization;

namespace FastAgents.Benchmarks.Serialization;

/// <summary>System.Text.Json source-generated metadata for the peers in the serializer benchmarks.</summary>
[JsonSerializable(typeof(BenchSmallMessage))]
[JsonSerializable(typeof(int[]))]
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
public sealed partial class BenchJsonContext : JsonSerializerContext
{
}
