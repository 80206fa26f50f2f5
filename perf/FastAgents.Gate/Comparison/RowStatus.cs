namespace FastAgents.Gate.Comparison;

/// <summary>What the comparison found for one case; a case may fail in more than one way.</summary>
[Flags]
public enum RowStatus
{
    /// <summary>Within tolerance, bytes as in the baseline.</summary>
    Ok = 0,

    /// <summary>The ratio fell below the baseline's lowest passing ratio.</summary>
    Regressed = 1,

    /// <summary>Bytes per operation differ from the baseline.</summary>
    BytesChanged = 2,

    /// <summary>In the baseline but not measured: the gate lost a case.</summary>
    Missing = 4,

    /// <summary>Measured but not in the baseline: update the baseline on purpose to add it.</summary>
    NotInBaseline = 8,
}
