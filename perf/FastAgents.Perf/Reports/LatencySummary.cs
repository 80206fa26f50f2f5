namespace FastAgents.Perf.Reports;

/// <summary>The usual percentiles of one latency histogram, in nanoseconds (to about 0.1%).</summary>
public sealed class LatencySummary
{
    /// <summary>Number of values.</summary>
    public long Count { get; init; }

    /// <summary>Smallest value (exact).</summary>
    public long MinNs { get; init; }

    /// <summary>Mean value.</summary>
    public double MeanNs { get; init; }

    /// <summary>Median.</summary>
    public long P50Ns { get; init; }

    /// <summary>90th percentile.</summary>
    public long P90Ns { get; init; }

    /// <summary>99th percentile.</summary>
    public long P99Ns { get; init; }

    /// <summary>99.9th percentile.</summary>
    public long P999Ns { get; init; }

    /// <summary>99.99th percentile.</summary>
    public long P9999Ns { get; init; }

    /// <summary>Largest value (exact).</summary>
    public long MaxNs { get; init; }

    /// <summary>Summarizes <paramref name="histogram"/> (all zeros when it is empty).</summary>
    public static LatencySummary From(LogLinearHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return new LatencySummary();
        }

        return new LatencySummary
        {
            Count = histogram.TotalCount,
            MinNs = histogram.Min,
            MeanNs = histogram.Mean,
            P50Ns = histogram.ValueAtPercentile(50),
            P90Ns = histogram.ValueAtPercentile(90),
            P99Ns = histogram.ValueAtPercentile(99),
            P999Ns = histogram.ValueAtPercentile(99.9),
            P9999Ns = histogram.ValueAtPercentile(99.99),
            MaxNs = histogram.Max,
        };
    }
}
