namespace FastAgents.Runtime;

/// <summary>What happens to an agent whose handler throws.</summary>
public enum SupervisionDirective : byte
{
    /// <summary>Keep the agent and its state; the failed message goes to dead letters.</summary>
    Resume = 0,

    /// <summary>Replace the agent with a fresh instance from its factory; the failed message goes to dead letters.</summary>
    Restart = 1,

    /// <summary>Stop the agent; the failed message and everything after it go to dead letters.</summary>
    Stop = 2,

    /// <summary>Deliver the failed message again after an exponential backoff, up to a number of attempts, then apply the fallback.</summary>
    Retry = 3,
}

/// <summary>
/// A supervision policy: a directive and, for <see cref="SupervisionDirective.Retry"/>, how many attempts,
/// the backoff between them (doubling from <see cref="InitialBackoff"/>, capped at <see cref="MaxBackoff"/>) and
/// what to do after the last one. A handler exception never ends its worker, whatever the policy.
/// </summary>
public sealed record SupervisionPolicy
{
    /// <summary>Keep going with the same instance.</summary>
    public static SupervisionPolicy Resume { get; } = new() { Directive = SupervisionDirective.Resume };

    /// <summary>Restart with fresh state.</summary>
    public static SupervisionPolicy Restart { get; } = new() { Directive = SupervisionDirective.Restart };

    /// <summary>Stop the agent.</summary>
    public static SupervisionPolicy Stop { get; } = new() { Directive = SupervisionDirective.Stop };

    /// <summary>Retries a failed message up to <paramref name="maxAttempts"/> times in all (including the first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static SupervisionPolicy Retry(int maxAttempts, TimeSpan initialBackoff, TimeSpan maxBackoff, SupervisionDirective then = SupervisionDirective.Resume)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialBackoff, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBackoff, initialBackoff);
        if (then == SupervisionDirective.Retry)
        {
            throw new ArgumentOutOfRangeException(nameof(then), "The fallback after retries cannot itself be Retry.");
        }

        return new() { Directive = SupervisionDirective.Retry, MaxAttempts = maxAttempts, InitialBackoff = initialBackoff, MaxBackoff = maxBackoff, AfterRetries = then };
    }

    /// <summary>The directive.</summary>
    public SupervisionDirective Directive { get; init; }

    /// <summary>Retry only: attempts in all, the first delivery included.</summary>
    public int MaxAttempts { get; init; } = 1;

    /// <summary>Retry only: the wait before the second attempt.</summary>
    public TimeSpan InitialBackoff { get; init; }

    /// <summary>Retry only: the longest wait between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; }

    /// <summary>Retry only: the directive applied when the last attempt fails.</summary>
    public SupervisionDirective AfterRetries { get; init; }

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 for the first retry).</summary>
    public TimeSpan BackoffBefore(int attempt)
    {
        double factor = Math.Pow(2, Math.Max(0, attempt - 2));
        double ticks = Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
