namespace FastAgents.Perf.Load;

/// <summary>
/// One second of a run's measured window. Sends (<see cref="Sent"/>, <see cref="Dropped"/>, <see cref="Late"/>)
/// are counted in the second of their intended time (open model) or start (closed model); completions
/// (<see cref="Completed"/>, <see cref="Ok"/>, <see cref="Fail"/>, <see cref="P99Nanoseconds"/>) in the second they completed.
/// </summary>
/// <param name="Second">Seconds since the end of the warm-up (0-based).</param>
/// <param name="Sent">Sends started whose intended time (open model) or start (closed model) falls in this second.</param>
/// <param name="Started">Sends whose actual start falls in this second; against <paramref name="Sent"/> it shows how well the generator kept each second's rate.</param>
/// <param name="Dropped">Sends not made because the in-flight cap was reached.</param>
/// <param name="Late">Sends started more than the late threshold after their intended time.</param>
/// <param name="Completed">Sends completed (ok + fail).</param>
/// <param name="Ok">Sends completed successfully.</param>
/// <param name="Fail">Sends that failed.</param>
/// <param name="P99Nanoseconds">99th percentile of the latency of the second's completions (response time in the open model, service time in the closed), to about 1.5%.</param>
public sealed record TimelineSecond(long Second, long Sent, long Started, long Dropped, long Late, long Completed, long Ok, long Fail, long P99Nanoseconds);
