namespace FastAgents.Perf.Load;

/// <summary>
/// A running run's figures so far (measured window only; warm-up sends are not counted), read by
/// <see cref="LoadProgress.Read"/>.
/// </summary>
/// <param name="Phase">Where the run is.</param>
/// <param name="Elapsed">Time since the measured window began (zero during the warm-up).</param>
/// <param name="Planned">Planned length of the measured window.</param>
/// <param name="Sent">Sends started.</param>
/// <param name="Ok">Sends completed successfully.</param>
/// <param name="Fail">Sends that failed.</param>
/// <param name="Dropped">Sends not made because the in-flight cap was reached.</param>
/// <param name="Late">Sends started later than the late threshold after their intended time.</param>
/// <param name="LastSecond">The latest whole second (0-based, in the measured window) whose p99 is known, or -1.</param>
/// <param name="LastSecondP99Nanoseconds">
/// The 99th percentile of the latencies that completed in <paramref name="LastSecond"/> (response time in the open model,
/// service time in the closed; with several senders, the highest of their p99s), to about 1.5%.
/// </param>
public readonly record struct LoadProgressSnapshot(
    LoadPhase Phase,
    TimeSpan Elapsed,
    TimeSpan Planned,
    long Sent,
    long Ok,
    long Fail,
    long Dropped,
    long Late,
    int LastSecond,
    long LastSecondP99Nanoseconds)
{
    /// <summary>Sends completed (ok + fail).</summary>
    public long Completed => Ok + Fail;
}
