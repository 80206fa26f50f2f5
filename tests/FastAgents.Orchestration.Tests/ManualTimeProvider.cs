using System.Diagnostics;
using Xunit;

namespace FastAgents.Orchestration.Tests;

/// <summary>
/// A clock that moves only when the test says so. Timers it creates fire from <see cref="Advance"/>; every delay
/// asked of it is remembered, so a test can read the waits a retry loop chose.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<TimeSpan> _requested = [];
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public IReadOnlyList<TimeSpan> Requested
    {
        get
        {
            lock (_gate)
            {
                return [.. _requested];
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _now.UtcTicks;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and fires every timer that comes due (outside the lock, on the calling thread).</summary>
    public void Advance(TimeSpan by)
    {
        var due = new List<ManualTimer>();
        lock (_gate)
        {
            _now += by;
            foreach (ManualTimer timer in _timers)
            {
                if (timer.Due is { } at && at <= _now)
                {
                    due.Add(timer);
                    timer.Due = timer.Period == Timeout.InfiniteTimeSpan || timer.Period <= TimeSpan.Zero ? null : at + timer.Period;
                }
            }
        }

        foreach (ManualTimer timer in due)
        {
            timer.Fire();
        }
    }

    /// <summary>Waits (really, bounded) until some timer is armed; returns how far ahead it is due.</summary>
    public TimeSpan WaitForTimer()
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            lock (_gate)
            {
                foreach (ManualTimer timer in _timers)
                {
                    if (timer.Due is { } at)
                    {
                        return at - _now;
                    }
                }
            }

            Thread.Sleep(1);
        }

        Assert.Fail("No timer was armed within 20 s.");
        return default;
    }

    /// <summary>True when a timer is armed now.</summary>
    public bool HasTimer
    {
        get
        {
            lock (_gate)
            {
                foreach (ManualTimer timer in _timers)
                {
                    if (timer.Due is not null)
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }

                Period = period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    owner._requested.Add(dueTime);
                }

                return true;
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
