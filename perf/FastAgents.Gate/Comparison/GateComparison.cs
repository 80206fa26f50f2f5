namespace FastAgents.Gate.Comparison;

/// <summary>The verdict of a gate run: one row per case, baseline order first, then cases the baseline lacks.</summary>
/// <param name="Rows">The cases.</param>
public sealed record GateComparison(IReadOnlyList<ComparisonRow> Rows)
{
    /// <summary>True when every case passed.</summary>
    public bool Passed
    {
        get
        {
            foreach (ComparisonRow row in Rows)
            {
                if (!row.Passed)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The rows that failed.</summary>
    public IReadOnlyList<ComparisonRow> Failures => [.. Rows.Where(r => !r.Passed)];
}
