namespace FastAgents.Gate.Comparison;

/// <summary>One case of a comparison: what the baseline says, what was measured, and the verdict.</summary>
/// <param name="Name">The case's name.</param>
/// <param name="Baseline">The baseline entry, or null for a case not in the baseline.</param>
/// <param name="Measured">The measurement, or null for a case the run did not measure.</param>
/// <param name="Status">The verdict.</param>
public sealed record ComparisonRow(string Name, BaselineCase? Baseline, CaseMeasurement? Measured, RowStatus Status)
{
    /// <summary>True when this case does not fail the gate.</summary>
    public bool Passed => Status == RowStatus.Ok;

    /// <summary>Why the case failed, in words, or an empty string when it passed.</summary>
    public string Reason
    {
        get
        {
            var reasons = new List<string>(2);
            if (Status.HasFlag(RowStatus.Missing))
            {
                reasons.Add("in the baseline but not measured");
            }

            if (Status.HasFlag(RowStatus.NotInBaseline))
            {
                reasons.Add("not in the baseline (run with --update-baseline to add it)");
            }

            if (Status.HasFlag(RowStatus.Regressed) && Baseline is not null && Measured is not null)
            {
                reasons.Add(FormattableString.Invariant($"ratio {Measured.Ratio:0.00#} is below {Baseline.MinRatio:0.00#} (baseline {Baseline.Ratio:0.00#} - {Baseline.Tolerance:0%})"));
            }

            if (Status.HasFlag(RowStatus.BytesChanged) && Baseline is not null && Measured is not null)
            {
                reasons.Add(FormattableString.Invariant($"{Measured.OursBytesPerOp} B/op allocated, baseline {Baseline.BytesPerOp} B/op"));
            }

            return string.Join("; ", reasons);
        }
    }
}
