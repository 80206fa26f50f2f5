namespace FastAgents.Gate.Comparison;

/// <summary>The committed baseline (perf/gate/baseline.json): one entry per case.</summary>
public sealed record GateBaseline
{
    /// <summary>Tolerance given to a case that has none yet (a new case written by <see cref="WithMeasurements"/>).</summary>
    public const double DefaultTolerance = 0.35;

    /// <summary>What the file is and how to update it, for whoever opens it.</summary>
    public string? About { get; init; }

    /// <summary>The cases.</summary>
    public IReadOnlyList<BaselineCase> Cases { get; init; } = [];

    /// <summary>
    /// A baseline with the measured ratios and bytes of <paramref name="measured"/>, keeping the tolerance and note of
    /// each case already here (new cases get <see cref="DefaultTolerance"/>; cases not measured are left out).
    /// </summary>
    public GateBaseline WithMeasurements(IReadOnlyList<CaseMeasurement> measured)
    {
        ArgumentNullException.ThrowIfNull(measured);
        var cases = new List<BaselineCase>(measured.Count);
        foreach (CaseMeasurement m in measured)
        {
            BaselineCase? old = Find(m.Name);
            cases.Add(new BaselineCase
            {
                Name = m.Name,
                Ratio = Math.Round(m.Ratio, 3),
                Tolerance = old?.Tolerance ?? DefaultTolerance,
                BytesPerOp = m.OursBytesPerOp,
                Note = old?.Note,
            });
        }

        return this with { Cases = cases };
    }

    /// <summary>The case named <paramref name="name"/>, or null.</summary>
    public BaselineCase? Find(string name)
    {
        foreach (BaselineCase c in Cases)
        {
            if (string.Equals(c.Name, name, StringComparison.Ordinal))
            {
                return c;
            }
        }

        return null;
    }
}
