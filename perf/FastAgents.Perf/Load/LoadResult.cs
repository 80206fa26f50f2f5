namespace FastAgents.Perf.Load;

/// <summary>
/// What a run measured over its measured window (warm-up excluded): counts, latency histograms in
/// nanoseconds, a per-second timeline and the generator's own accuracy.
/// </summary>
public sealed class LoadResult
{
    /// <summary>The load model that produced the result.</summary>
    public required LoadModel Model { get; init; }

    /// <summary>A human description of the load: the rate schedule, or the number of senders and think time.</summary>
    public required string Profile { get; init; }

    /// <summary>When the run started (wall clock).</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>Length of the warm-up, whose sends are made but not counted.</summary>
    public required TimeSpan WarmUp { get; init; }

    /// <summary>From the end of the warm-up to the end of the run (the later of the last send's window and the last completion).</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>
    /// Latency from the intended send time to completion (open model, corrected for coordinated omission);
    /// in the closed model, where a send has no intended time, the same as <see cref="Service"/>.
    /// </summary>
    public required LogLinearHistogram Response { get; init; }

    /// <summary>Latency from the actual start of the send to its completion.</summary>
    public required LogLinearHistogram Service { get; init; }

    /// <summary>How late sends started against their intended times (open model; empty in the closed).</summary>
    public required LogLinearHistogram SendLag { get; init; }

    /// <summary>One row per second of the measured window.</summary>
    public required IReadOnlyList<TimelineSecond> Timeline { get; init; }

    /// <summary>Sends the schedule called for in the measured window (open model: sent + dropped; closed: sent).</summary>
    public required long Issued { get; init; }

    /// <summary>Sends started.</summary>
    public required long Sent { get; init; }

    /// <summary>Sends not made because the in-flight cap was reached (open model).</summary>
    public required long Dropped { get; init; }

    /// <summary>Sends started more than <see cref="OpenModelOptions.LateThreshold"/> after their intended time (open model).</summary>
    public required long Late { get; init; }

    /// <summary>Sends completed successfully.</summary>
    public required long Ok { get; init; }

    /// <summary>Sends that failed (returned false, threw, or faulted).</summary>
    public required long Fail { get; init; }

    /// <summary>Sends still in flight when the drain timeout ended the run; they count as failures in the fail rate.</summary>
    public required long Unfinished { get; init; }

    /// <summary>Rate the schedule offered over the measured window (open model), or the achieved send rate (closed model).</summary>
    public required double OfferedRate { get; init; }

    /// <summary>Rate at which the generator actually issued sends over the measured window.</summary>
    public required double AchievedRate { get; init; }

    /// <summary>
    /// The generator's own error, <c>|achieved - offered| / offered</c>: zero when every send was issued by the end of
    /// the window the schedule set, and growing with how far the last send fell behind it (open model; 0 in the closed).
    /// </summary>
    public required double GeneratorError { get; init; }

    /// <summary>
    /// The generator's error second by second: the largest <c>|started - sent| / sent</c> over the whole seconds of the
    /// measured window, where <c>sent</c> counts the sends intended in that second and <c>started</c> those actually started
    /// in it (open model; 0 in the closed, and for windows shorter than a second). A stall of the generator thread moves
    /// sends into the next second and shows here even when the run as a whole caught up.
    /// </summary>
    public required double WorstSecondError { get; init; }

    /// <summary>
    /// Bytes allocated by the whole process during the measured window (the target, a pending send's continuation, and
    /// anything else running), less the engine's own per-second timeline storage.
    /// </summary>
    public required long AllocatedBytes { get; init; }

    /// <summary>Sends completed (ok + fail).</summary>
    public long Completed => Ok + Fail;

    /// <summary>Successful sends per second of <see cref="Elapsed"/>.</summary>
    public double Throughput => Elapsed > TimeSpan.Zero ? Ok / Elapsed.TotalSeconds : 0;

    /// <summary>Share of the issued sends that did not succeed: <c>(fail + dropped + unfinished) / issued</c>.</summary>
    public double FailRate => Issued > 0 ? (double)(Fail + Dropped + Unfinished) / Issued : 0;

    /// <summary>Bytes allocated per completed send, or 0 when none completed.</summary>
    public double AllocatedBytesPerMessage => Completed > 0 ? (double)AllocatedBytes / Completed : 0;
}
