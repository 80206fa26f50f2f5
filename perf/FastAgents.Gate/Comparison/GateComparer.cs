namespace FastAgents.Gate.Comparison;

/// <summary>
/// Compares a run with the baseline. A case fails when its ratio falls below <c>baseline ratio × (1 - tolerance)</c>,
/// when its bytes per operation differ from the baseline's at all, when the baseline has it and the run does not,
/// or when the run has it and the baseline does not. A ratio above the baseline never fails.
/// </summary>
public static class GateComparer
{
    /// <summary>Compares <paramref name="measured"/> with <paramref name="baseline"/>.</summary>
    public static GateComparison Compare(GateBaseline baseline, IReadOnlyList<CaseMeasurement> measured)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(measured);
        var rows = new List<ComparisonRow>(baseline.Cases.Count + measured.Count);
        foreach (BaselineCase expected in baseline.Cases)
        {
            CaseMeasurement? m = measured.FirstOrDefault(x => string.Equals(x.Name, expected.Name, StringComparison.Ordinal));
            if (m is null)
            {
                rows.Add(new ComparisonRow(expected.Name, expected, null, RowStatus.Missing));
                continue;
            }

            RowStatus status = RowStatus.Ok;
            if (!(m.Ratio >= expected.MinRatio))
            {
                // NaN (a case that measured nothing) fails too.
                status |= RowStatus.Regressed;
            }

            if (m.OursBytesPerOp != expected.BytesPerOp)
            {
                status |= RowStatus.BytesChanged;
            }

            rows.Add(new ComparisonRow(expected.Name, expected, m, status));
        }

        foreach (CaseMeasurement m in measured)
        {
            if (baseline.Find(m.Name) is null)
            {
                rows.Add(new ComparisonRow(m.Name, null, m, RowStatus.NotInBaseline));
            }
        }

        return new GateComparison(rows);
    }
}
