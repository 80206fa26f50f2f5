using System.Text.Json.Serialization;

namespace FastAgents.Perf.Reports;

/// <summary>Source-generated System.Text.Json metadata for <see cref="LoadReport"/> (no reflection, trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(LoadReport))]
public sealed partial class LoadReportJsonContext : JsonSerializerContext;
