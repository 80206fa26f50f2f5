namespace FastAgents.Perf.Load;

/// <summary>
/// One piece of an open-model rate profile: the rate goes linearly from <see cref="StartRate"/> to
/// <see cref="EndRate"/> (messages per second, either may be below 1 or zero) over <see cref="Duration"/>.
/// </summary>
/// <param name="StartRate">Messages per second at the start of the segment.</param>
/// <param name="EndRate">Messages per second at the end of the segment.</param>
/// <param name="Duration">How long the segment lasts.</param>
public readonly record struct RateSegment(double StartRate, double EndRate, TimeSpan Duration)
{
    /// <summary>A constant rate for <paramref name="duration"/>.</summary>
    public static RateSegment Constant(double rate, TimeSpan duration) => new(rate, rate, duration);

    /// <summary>A linear ramp from <paramref name="from"/> to <paramref name="to"/> over <paramref name="duration"/>.</summary>
    public static RateSegment Ramp(double from, double to, TimeSpan duration) => new(from, to, duration);

    /// <summary>Expected number of sends in the segment: the area under the rate, <c>(start + end) / 2 * seconds</c>.</summary>
    public double ExpectedCount => (StartRate + EndRate) / 2 * Duration.TotalSeconds;
}
