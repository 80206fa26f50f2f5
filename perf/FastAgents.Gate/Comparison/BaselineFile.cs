using System.Text.Json;

namespace FastAgents.Gate.Comparison;

/// <summary>Reads and writes the baseline file (indented JSON, camelCase).</summary>
public static class BaselineFile
{
    /// <summary>Parses a baseline from JSON text.</summary>
    /// <exception cref="JsonException">The text is not a baseline.</exception>
    public static GateBaseline Parse(string json) =>
        JsonSerializer.Deserialize(json, GateJsonContext.Default.GateBaseline) ?? throw new JsonException("The baseline file is empty.");

    /// <summary>The baseline as JSON text, ending with a newline.</summary>
    public static string Format(GateBaseline baseline) => JsonSerializer.Serialize(baseline, GateJsonContext.Default.GateBaseline) + "\n";

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static GateBaseline Read(string path) => Parse(File.ReadAllText(path));

    /// <summary>Writes <paramref name="baseline"/> to <paramref name="path"/>.</summary>
    public static void Write(GateBaseline baseline, string path) => File.WriteAllText(path, Format(baseline));
}
