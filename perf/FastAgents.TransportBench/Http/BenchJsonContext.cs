using System.Text.Json.Serialization;

namespace FastAgents.TransportBench.Http;

/// <summary>Source-generated System.Text.Json metadata, so neither side pays for reflection-based serialization.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchMessage))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
