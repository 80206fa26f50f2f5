using System.Diagnostics;

namespace FastAgents.Perf.Load;

/// <summary>
/// A target whose sends succeed after spinning for a fixed service time on the calling thread: a
/// stand-in for work of known cost, to see queueing and late sends when the rate exceeds its capacity.
/// </summary>
public sealed class SpinTarget : ILoadTarget
{
    private readonly long _ticks;

    /// <summary>Creates a target that takes <paramref name="serviceTime"/> per send.</summary>
    public SpinTarget(TimeSpan serviceTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serviceTime, TimeSpan.Zero);
        ServiceTime = serviceTime;
        _ticks = StopwatchTicks.FromTimeSpan(serviceTime);
    }

    /// <summary>The time each send takes.</summary>
    public TimeSpan ServiceTime { get; }

    /// <inheritdoc/>
    public ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken)
    {
        long until = Stopwatch.GetTimestamp() + _ticks;
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(1);
        }

        return new ValueTask<bool>(true);
    }
}
