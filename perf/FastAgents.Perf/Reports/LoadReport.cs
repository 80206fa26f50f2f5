using FastAgents.Perf.Load;

namespace FastAgents.Perf.Reports;

/// <summary>
/// Everything a report shows about one run, in plain serializable values: what every writer reads and
/// what <see cref="JsonReportWriter"/> round-trips. Latencies are in nanoseconds.
/// </summary>
public sealed class LoadReport
{
    /// <summary>What was measured (the scenario's name).</summary>
    public string Title { get; init; } = string.Empty;

    /// <summary>The load model.</summary>
    public LoadModel Model { get; init; }

    /// <summary>The load offered: rate schedule, or senders and think time.</summary>
    public string Profile { get; init; } = string.Empty;

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedUtc { get; init; }

    /// <summary>Warm-up before the measured window, in seconds.</summary>
    public double WarmUpSeconds { get; init; }

    /// <summary>Length of the measured window, in seconds.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Sends the load called for in the measured window (sent + dropped).</summary>
    public long Issued { get; init; }

    /// <summary>Sends started.</summary>
    public long Sent { get; init; }

    /// <summary>Sends completed (ok + fail).</summary>
    public long Count { get; init; }

    /// <summary>Sends that succeeded.</summary>
    public long Ok { get; init; }

    /// <summary>Sends that failed.</summary>
    public long Fail { get; init; }

    /// <summary>Sends not made because the in-flight cap was reached.</summary>
    public long Dropped { get; init; }

    /// <summary>Sends started later than the late threshold after their intended time.</summary>
    public long Late { get; init; }

    /// <summary>Sends still in flight when the run ended.</summary>
    public long Unfinished { get; init; }

    /// <summary>Rate offered over the measured window, messages per second.</summary>
    public double OfferedRate { get; init; }

    /// <summary>Rate at which sends were actually issued, messages per second.</summary>
    public double AchievedRate { get; init; }

    /// <summary>The generator's own error: <c>|achieved - offered| / offered</c>.</summary>
    public double GeneratorError { get; init; }

    /// <summary>The generator's worst error over one second: <c>max |started - sent| / sent</c> over the window's whole seconds.</summary>
    public double WorstSecondError { get; init; }

    /// <summary>Successful messages per second.</summary>
    public double Throughput { get; init; }

    /// <summary>(fail + dropped + unfinished) / issued.</summary>
    public double FailRate { get; init; }

    /// <summary>Bytes allocated by the process per completed message during the measured window.</summary>
    public double BytesPerMessage { get; init; }

    /// <summary>True when <see cref="Response"/> is measured from intended send times (open model).</summary>
    public bool HasIntendedTime { get; init; }

    /// <summary>Response time: from the intended send time (open model) or the start (closed model) to completion.</summary>
    public LatencySummary Response { get; init; } = new();

    /// <summary>Service time: from the actual start of the send to its completion.</summary>
    public LatencySummary Service { get; init; } = new();

    /// <summary>How late sends started against their intended times (open model).</summary>
    public LatencySummary SendLag { get; init; } = new();

    /// <summary>
    /// The latency rows a report shows, labelled: response, service and send lag when times are measured from
    /// intended send times (open model), service time alone otherwise.
    /// </summary>
    public IReadOnlyList<(string Label, LatencySummary Summary)> LatencyRows() => HasIntendedTime
        ? [("response (from intended time)", Response), ("service (from actual start)", Service), ("send lag (start - intended)", SendLag)]
        : [("service (from start)", Service)];

    /// <summary>One row per second of the measured window.</summary>
    public IReadOnlyList<TimelineSecond> Timeline { get; init; } = [];

    /// <summary>The percentile spectrum of response and service time.</summary>
    public IReadOnlyList<SpectrumRow> Spectrum { get; init; } = [];

    /// <summary>The threshold verdict, when thresholds were checked.</summary>
    public ThresholdResult? Thresholds { get; set; }

    /// <summary>Builds the report of <paramref name="result"/>, checking <paramref name="thresholds"/> when given.</summary>
    public static LoadReport Create(string title, LoadResult result, LoadThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(result);
        var report = new LoadReport
        {
            Title = title,
            Model = result.Model,
            Profile = result.Profile,
            StartedUtc = result.StartedUtc,
            WarmUpSeconds = result.WarmUp.TotalSeconds,
            ElapsedSeconds = result.Elapsed.TotalSeconds,
            Issued = result.Issued,
            Sent = result.Sent,
            Count = result.Completed,
            Ok = result.Ok,
            Fail = result.Fail,
            Dropped = result.Dropped,
            Late = result.Late,
            Unfinished = result.Unfinished,
            OfferedRate = result.OfferedRate,
            AchievedRate = result.AchievedRate,
            GeneratorError = result.GeneratorError,
            WorstSecondError = result.WorstSecondError,
            Throughput = result.Throughput,
            FailRate = result.FailRate,
            BytesPerMessage = result.AllocatedBytesPerMessage,
            HasIntendedTime = result.Model == LoadModel.Open,
            Response = LatencySummary.From(result.Response),
            Service = LatencySummary.From(result.Service),
            SendLag = LatencySummary.From(result.SendLag),
            Timeline = [.. result.Timeline],
            Spectrum = SpectrumRow.From(result.Response, result.Service),
        };
        report.Thresholds = thresholds?.Evaluate(report);
        return report;
    }
}
