namespace FastAgents.Perf.Load;

/// <summary>
/// Checks the generator on this machine: an open-model run against <see cref="ImmediateTarget"/>, so every
/// gap between offered and achieved rate is the generator's own. The result's
/// <see cref="LoadResult.GeneratorError"/> is the figure to compare with the 1% bound;
/// <see cref="LoadResult.SendLag"/> shows how late sends started and <see cref="LoadResult.Late"/> how many
/// were later than a millisecond.
/// </summary>
public static class LoadSelfCheck
{
    /// <summary>The rate the generator is expected to sustain within 1%.</summary>
    public const double MillionPerSecond = 1_000_000;

    /// <summary>Runs <paramref name="rate"/> sends per second for <paramref name="duration"/> after <paramref name="warmUp"/>.</summary>
    /// <param name="rate">Offered rate in messages per second.</param>
    /// <param name="duration">Length of the measured window.</param>
    /// <param name="warmUp">Warm-up before it (lets the JIT settle the loop); null for one second.</param>
    /// <param name="cancellationToken">Ends the run early.</param>
    public static LoadResult Run(double rate, TimeSpan duration, TimeSpan? warmUp = null, CancellationToken cancellationToken = default)
    {
        var options = new OpenModelOptions
        {
            Schedule = RateSchedule.Constant(rate, duration),
            WarmUp = warmUp ?? TimeSpan.FromSeconds(1),
        };
        return OpenModelRunner.Run(new ImmediateTarget(), options, cancellationToken);
    }
}
