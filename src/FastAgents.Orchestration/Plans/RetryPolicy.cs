using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>
/// How a failed attempt is retried: up to <see cref="MaxAttempts"/> attempts in all, waiting an exponentially
/// growing delay with jitter between them, never longer than <see cref="MaxDelay"/>.
/// </summary>
/// <remarks>
/// The wait before retry <c>n</c> (1 for the first retry) is <c>min(MaxDelay, InitialDelay × Multiplier^(n-1))</c>,
/// scaled by a factor drawn uniformly from <c>[1 - Jitter, 1 + Jitter]</c>, then capped at <see cref="MaxDelay"/> again
/// (see <see cref="DelayBefore"/>). The orchestrator waits on its <see cref="OrchestratorOptions.Time"/> and draws the
/// jitter from <see cref="OrchestratorOptions.JitterSource"/>, so a test can drive both.
/// </remarks>
public sealed record RetryPolicy
{
    /// <summary>One attempt, no retries.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Attempts in all, the first included; at least 1. Default 3.</summary>
    public int MaxAttempts
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttempts), value, "At least one attempt.");
    } = 3;

    /// <summary>The wait before the first retry, before jitter. Default 100 ms.</summary>
    public TimeSpan InitialDelay
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(InitialDelay), value, "A delay cannot be negative.");
    } = TimeSpan.FromMilliseconds(100);

    /// <summary>How much the wait grows per retry; at least 1. Default 2.</summary>
    public double Multiplier
    {
        get;
        init => field = value >= 1 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(Multiplier), value, "The multiplier must be finite and at least 1.");
    } = 2;

    /// <summary>The cap on every wait, jitter included. Default 10 s.</summary>
    public TimeSpan MaxDelay
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxDelay), value, "A delay cannot be negative.");
    } = TimeSpan.FromSeconds(10);

    /// <summary>The relative spread of the wait, from 0 (none) to 1 (anywhere from 0 to twice the base). Default 0.2.</summary>
    public double Jitter
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Jitter), value, "Jitter is a fraction from 0 to 1.");
    } = 0.2;

    /// <summary>
    /// Decides whether a failure is worth another attempt; null for <see cref="IsTransient"/>. Cancellation of the
    /// run is never retried.
    /// </summary>
    public Func<Exception, bool>? ShouldRetry { get; init; }

    /// <summary>An exponential policy: <paramref name="maxAttempts"/> attempts, doubling from <paramref name="initialDelay"/> up to <paramref name="maxDelay"/>.</summary>
    public static RetryPolicy Exponential(int maxAttempts, TimeSpan initialDelay, TimeSpan maxDelay, double jitter = 0.2) => new()
    {
        MaxAttempts = maxAttempts,
        InitialDelay = initialDelay,
        MaxDelay = maxDelay,
        Jitter = jitter,
    };

    /// <summary>
    /// The default retry filter: everything except failures that another attempt cannot fix (an agent that does not
    /// exist, is stopped, has no handler for <see cref="StepRequest"/>, or cannot read it).
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        OperationCanceledException => false,
        UndeliverableException undeliverable => undeliverable.Reason is not (DeadLetterReason.NoSuchAgent or DeadLetterReason.AgentStopped
            or DeadLetterReason.NoHandler or DeadLetterReason.MalformedPayload),
        _ => true,
    };

    /// <summary>The wait before retry <paramref name="retry"/> (1 for the first retry).</summary>
    /// <param name="retry">Which retry: 1 after the first attempt failed, 2 after the second, ...</param>
    /// <param name="sample">A uniform sample from [0, 1): 0 gives the shortest wait, 0.5 the base, toward 1 the longest.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retry"/> is below 1 or <paramref name="sample"/> outside [0, 1].</exception>
    public TimeSpan DelayBefore(int retry, double sample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (sample is < 0 or > 1 || double.IsNaN(sample))
        {
            throw new ArgumentOutOfRangeException(nameof(sample), sample, "A sample is in [0, 1].");
        }

        double cap = MaxDelay.Ticks;
        // Computed in doubles so a long run of retries saturates at the cap instead of overflowing.
        double baseTicks = Math.Min(cap, InitialDelay.Ticks * Math.Pow(Multiplier, retry - 1));
        double jittered = baseTicks * (1 + (Jitter * ((2 * sample) - 1)));
        return TimeSpan.FromTicks((long)Math.Clamp(jittered, 0, cap));
    }

    /// <summary>True when attempt number <paramref name="attempt"/> failed with <paramref name="error"/> and another may follow.</summary>
    internal bool RetriesAfter(int attempt, Exception error) =>
        attempt < MaxAttempts && error is not OperationCanceledException && (ShouldRetry?.Invoke(error) ?? IsTransient(error));
}
