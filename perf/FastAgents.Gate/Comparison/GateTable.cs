using System.Globalization;

namespace FastAgents.Gate.Comparison;

/// <summary>Prints a comparison as a fixed-width table, then one line per failed case.</summary>
public static class GateTable
{
    /// <summary>Writes <paramref name="comparison"/> to <paramref name="writer"/>.</summary>
    public static void Write(GateComparison comparison, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine($"{"case",-26}{"ours",14}{"peer",14}{"ratio",8}{"baseline",10}{"min",7}{"B/op",6}{"base",6}{"peer",7}  result");
        foreach (ComparisonRow row in comparison.Rows)
        {
            CaseMeasurement? m = row.Measured;
            BaselineCase? b = row.Baseline;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Name,-26}{(m is null ? "-" : Value(m.Ours, m.Unit)),14}{(m is null ? "-" : Value(m.Peer, m.Unit)),14}{(m is null ? "-" : m.Ratio.ToString("0.00#", CultureInfo.InvariantCulture)),8}{(b is null ? "-" : b.Ratio.ToString("0.00#", CultureInfo.InvariantCulture)),10}{(b is null ? "-" : b.MinRatio.ToString("0.00#", CultureInfo.InvariantCulture)),7}{(m is null ? "-" : m.OursBytesPerOp.ToString(CultureInfo.InvariantCulture)),6}{(b is null ? "-" : b.BytesPerOp.ToString(CultureInfo.InvariantCulture)),6}{(m is null ? "-" : m.PeerBytesPerOp.ToString(CultureInfo.InvariantCulture)),7}  {Verdict(row.Status)}"));
        }

        foreach (ComparisonRow row in comparison.Failures)
        {
            writer.WriteLine($"FAILED {row.Name}: {row.Reason}");
        }
    }

    /// <summary>A figure in its unit: <c>12.3 M/s</c>, <c>850 k/s</c>, <c>2.41 µs</c>.</summary>
    public static string Value(double value, string unit) => unit switch
    {
        CaseMeasurement.PerSecond when value >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{value / 1e6:0.0} M/s"),
        CaseMeasurement.PerSecond when value >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{value / 1e3:0.0} k/s"),
        CaseMeasurement.PerSecond => string.Create(CultureInfo.InvariantCulture, $"{value:0.0} /s"),
        CaseMeasurement.Nanoseconds when value >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{value / 1e6:0.00} ms"),
        CaseMeasurement.Nanoseconds when value >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{value / 1e3:0.00} µs"),
        CaseMeasurement.Nanoseconds => string.Create(CultureInfo.InvariantCulture, $"{value:0} ns"),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string Verdict(RowStatus status)
    {
        if (status == RowStatus.Ok)
        {
            return "ok";
        }

        var words = new List<string>(2);
        if (status.HasFlag(RowStatus.Regressed))
        {
            words.Add("REGRESSED");
        }

        if (status.HasFlag(RowStatus.BytesChanged))
        {
            words.Add("BYTES CHANGED");
        }

        if (status.HasFlag(RowStatus.Missing))
        {
            words.Add("MISSING");
        }

        if (status.HasFlag(RowStatus.NotInBaseline))
        {
            words.Add("NOT IN BASELINE");
        }

        return string.Join(", ", words);
    }
}
