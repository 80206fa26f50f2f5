using System.Text.Json.Serialization;

namespace FastAgents.Gate.Comparison;

/// <summary>One case of the committed baseline.</summary>
public sealed record BaselineCase
{
    /// <summary>The case's name.</summary>
    public required string Name { get; init; }

    /// <summary>The ratio of ours to the peer when the baseline was taken.</summary>
    public required double Ratio { get; init; }

    /// <summary>How far below <see cref="Ratio"/> a run may fall, as a fraction: it fails below <c>Ratio × (1 - Tolerance)</c>.</summary>
    public required double Tolerance { get; init; }

    /// <summary>Bytes our side allocates per operation; a run must match it exactly.</summary>
    public required long BytesPerOp { get; init; }

    /// <summary>Why the tolerance is what it is (the spread seen in repeated runs).</summary>
    public string? Note { get; init; }

    /// <summary>The lowest ratio that passes.</summary>
    [JsonIgnore]
    public double MinRatio => Ratio * (1 - Tolerance);
}
