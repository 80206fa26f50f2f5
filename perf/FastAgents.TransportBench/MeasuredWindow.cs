using System.Diagnostics;

namespace FastAgents.TransportBench;

/// <summary>
/// One role's measured window: it opens <c>warmup</c> seconds after <see cref="Start"/> and closes <c>seconds</c> after
/// it opened. The owner reports its cumulative message count with <see cref="Observe"/>; at the first observation past
/// each deadline the window snapshots the count, the clock and <see cref="GC.GetTotalAllocatedBytes(bool)"/>, so the
/// figures cover exactly the time between two observations rather than a nominal duration. Observing costs a compare
/// until a deadline passes, so a hot loop can call it once per batch. One observer thread only.
/// </summary>
internal sealed class MeasuredWindow
{
    private const int NotStarted = 0;
    private const int WarmingUp = 1;
    private const int Measuring = 2;
    private const int Closed = 3;

    private readonly long _warmupTicks;
    private readonly long _windowTicks;
    private int _phase;
    private long _openAt;
    private long _closeAt;
    private long _openedTimestamp;
    private long _closedTimestamp;
    private long _countAtOpen;
    private long _countAtClose;
    private long _allocatedAtOpen;
    private long _allocatedAtClose;

    /// <param name="warmupSeconds">Time from <see cref="Start"/> to the window's opening.</param>
    /// <param name="seconds">Window length; infinity keeps it open until <see cref="Finish"/>.</param>
    public MeasuredWindow(double warmupSeconds, double seconds)
    {
        _warmupTicks = ToTicks(warmupSeconds);
        _windowTicks = double.IsPositiveInfinity(seconds) ? long.MaxValue / 4 : ToTicks(seconds);
    }

    public bool IsStarted => _phase != NotStarted;

    public bool IsClosed => _phase == Closed;

    /// <summary>When the window opened (a <see cref="Stopwatch"/> timestamp), or <see cref="long.MaxValue"/> before then.</summary>
    public long OpenedAt => _phase >= Measuring ? _openedTimestamp : long.MaxValue;

    /// <summary>When the window closed (a <see cref="Stopwatch"/> timestamp), or <see cref="long.MaxValue"/> before then.</summary>
    public long ClosedAt => _phase == Closed && _closedTimestamp != 0 ? _closedTimestamp : long.MaxValue;

    /// <summary>The <see cref="Stopwatch"/> timestamp of the next transition, for owners that poll on a timer.</summary>
    public long NextDeadline => _phase switch
    {
        WarmingUp => _openAt,
        Measuring => _closeAt,
        _ => long.MaxValue,
    };

    public long Messages => _countAtClose - _countAtOpen;

    public double Seconds => (double)(_closedTimestamp - _openedTimestamp) / Stopwatch.Frequency;

    public long AllocatedBytes => _allocatedAtClose - _allocatedAtOpen;

    public void Start(long timestamp)
    {
        if (_phase == NotStarted)
        {
            _phase = WarmingUp;
            _openAt = timestamp + _warmupTicks;
        }
    }

    public void Observe(long count, long timestamp)
    {
        if (timestamp < _openAt)
        {
            return;
        }

        if (_phase == WarmingUp)
        {
            _phase = Measuring;
            _openedTimestamp = timestamp;
            _closeAt = timestamp + _windowTicks;
            _countAtOpen = count;
            _allocatedAtOpen = GC.GetTotalAllocatedBytes(precise: true);
        }
        else if (_phase == Measuring && timestamp >= _closeAt)
        {
            Close(count, timestamp);
        }
    }

    /// <summary>Closes the window early (the peer stopped); a window that never opened reports nothing.</summary>
    public void Finish(long count, long timestamp)
    {
        if (_phase == Measuring)
        {
            Close(count, timestamp);
        }
        else
        {
            _phase = Closed;
        }
    }

    private void Close(long count, long timestamp)
    {
        _allocatedAtClose = GC.GetTotalAllocatedBytes(precise: true);
        _countAtClose = count;
        _closedTimestamp = timestamp;
        _phase = Closed;
    }

    /// <summary>A delay for timer-driven owners: the time left until <paramref name="timestamp"/>, within [1 ms, 1 s] so they re-check often enough.</summary>
    public static TimeSpan Until(long timestamp)
    {
        double milliseconds = (timestamp - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
        return TimeSpan.FromMilliseconds(Math.Clamp(milliseconds, 1, 1000));
    }

    private static long ToTicks(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
