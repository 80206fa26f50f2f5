using System.Globalization;

namespace FastAgents.Perf.Reports;

/// <summary>
/// Limits a run must meet, so a script or CI job can assert on a load test by its exit code
/// (<see cref="ThresholdResult.ExitCode"/>). Unset limits are not checked.
/// </summary>
public sealed class LoadThresholds
{
    /// <summary>Highest allowed 99th percentile of the response time (from the intended time in the open model; service time in the closed).</summary>
    public TimeSpan? MaxP99 { get; init; }

    /// <summary>Lowest allowed throughput: successful messages per second.</summary>
    public double? MinRate { get; init; }

    /// <summary>Highest allowed fail rate, as a fraction from 0 to 1 of issued sends that failed, were dropped or never finished.</summary>
    public double? MaxFailRate { get; init; }

    /// <summary>Checks <paramref name="report"/> against every set limit.</summary>
    public ThresholdResult Evaluate(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var failures = new List<string>();
        var checkedLimits = new List<string>();
        if (MaxP99 is TimeSpan maxP99)
        {
            long limitNs = (long)(maxP99.Ticks * (1e9 / TimeSpan.TicksPerSecond));
            checkedLimits.Add($"p99 <= {ReportFormat.Latency(limitNs)}");
            if (report.Count == 0)
            {
                failures.Add("p99: no message completed, so there is no latency to check.");
            }
            else if (report.Response.P99Ns > limitNs)
            {
                failures.Add($"p99 {ReportFormat.Latency(report.Response.P99Ns)} is above the maximum {ReportFormat.Latency(limitNs)}.");
            }
        }

        if (MinRate is double minRate)
        {
            checkedLimits.Add(string.Create(CultureInfo.InvariantCulture, $"throughput >= {minRate:0.###}/s"));
            if (!(report.Throughput >= minRate))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"throughput {report.Throughput:0.###}/s is below the minimum {minRate:0.###}/s."));
            }
        }

        if (MaxFailRate is double maxFailRate)
        {
            checkedLimits.Add(string.Create(CultureInfo.InvariantCulture, $"fail rate <= {maxFailRate:0.####%}"));
            if (!(report.FailRate <= maxFailRate))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"fail rate {report.FailRate:0.####%} ({report.Fail} failed, {report.Dropped} dropped, {report.Unfinished} unfinished of {report.Issued}) is above the maximum {maxFailRate:0.####%}."));
            }
        }

        return new ThresholdResult { Passed = failures.Count == 0, Failures = failures, Checked = checkedLimits };
    }
}
