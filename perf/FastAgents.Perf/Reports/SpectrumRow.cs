namespace FastAgents.Perf.Reports;

/// <summary>
/// One row of the percentile spectrum (HDR-style percentile distribution): the latency at
/// <see cref="Percentile"/>, for response and service time.
/// </summary>
/// <param name="Percentile">The percentile, 0 to 100.</param>
/// <param name="ResponseNs">Response time at the percentile, in nanoseconds.</param>
/// <param name="ServiceNs">Service time at the percentile, in nanoseconds.</param>
/// <param name="Count">Number of values at or below the percentile.</param>
/// <param name="InverseTail"><c>1 / (1 - percentile / 100)</c>, the x coordinate of HDR plots; null at 100.</param>
public sealed record SpectrumRow(double Percentile, long ResponseNs, long ServiceNs, long Count, double? InverseTail)
{
    /// <summary>Rows per halving of the distance to 100% (HDR's default is 5: 0, 10, ..., 50, 55, ..., 75, 77.5, ...).</summary>
    public const int StepsPerHalfDistance = 5;

    /// <summary>
    /// The spectrum of <paramref name="response"/> and <paramref name="service"/> (same count): rows from 0
    /// until the remaining tail holds less than one value, then 100.
    /// </summary>
    public static List<SpectrumRow> From(LogLinearHistogram response, LogLinearHistogram service)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(service);
        var rows = new List<SpectrumRow>();
        long total = response.TotalCount;
        if (total == 0)
        {
            return rows;
        }

        double p = 0;
        while ((100 - p) / 100 * total >= 1)
        {
            rows.Add(Row(p));
            double halvings = Math.Floor(Math.Log2(100 / (100 - p))) + 1;
            p += 100 / (StepsPerHalfDistance * Math.Pow(2, halvings));
            p = Math.Round(p, 10);
        }

        rows.Add(Row(100));
        return rows;

        SpectrumRow Row(double percentile) => new(
            percentile,
            response.ValueAtPercentile(percentile),
            service.ValueAtPercentile(percentile),
            Math.Min(total, (long)Math.Ceiling(percentile / 100 * total)),
            percentile < 100 ? 1 / (1 - (percentile / 100)) : null);
    }
}
