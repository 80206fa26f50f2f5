using System.Text.Json;

namespace FastAgents.Perf.Reports;

/// <summary>Writes and reads a <see cref="LoadReport"/> as JSON (camelCase names, latencies in nanoseconds).</summary>
public static class JsonReportWriter
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="stream"/>.</summary>
    public static void Write(LoadReport report, Stream stream) =>
        JsonSerializer.Serialize(stream, report, LoadReportJsonContext.Default.LoadReport);

    /// <summary>The JSON text of <paramref name="report"/>.</summary>
    public static string ToJson(LoadReport report) =>
        JsonSerializer.Serialize(report, LoadReportJsonContext.Default.LoadReport);

    /// <summary>Reads a report written by <see cref="Write"/>.</summary>
    public static LoadReport Read(Stream stream) =>
        JsonSerializer.Deserialize(stream, LoadReportJsonContext.Default.LoadReport)
        ?? throw new JsonException("The JSON holds no report.");

    /// <summary>Reads a report from JSON text.</summary>
    public static LoadReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, LoadReportJsonContext.Default.LoadReport)
        ?? throw new JsonException("The JSON holds no report.");
}
