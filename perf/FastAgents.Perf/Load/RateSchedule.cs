using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FastAgents.Perf.Load;

/// <summary>
/// The open model's timetable: the intended send time of every message, as a pure function of its index,
/// derived from a rate profile made of constant and linearly ramping segments.
/// </summary>
/// <remarks>
/// <para>
/// Design: the expected number of sends by time <c>t</c> is the integral of the rate, <c>N(t)</c>; send
/// <c>i</c> (0-based) is intended at the time where <c>N(t) = i</c>, so the first send is at 0 and a
/// segment of rate <c>r</c> spaces sends <c>1/r</c> apart. Inside a segment that starts at time
/// <c>T</c> with <c>C</c> sends before it, with <c>j = i - C</c>:
/// </para>
/// <list type="bullet">
/// <item>constant rate <c>r</c>: <c>t = T + j / r</c>;</item>
/// <item>ramp from <c>r0</c> with slope <c>a = (r1 - r0) / D</c>: <c>N = r0 t + a t² / 2</c>, so
/// <c>t = T + 2j / (r0 + sqrt(r0² + 2aj))</c> (the form without cancellation; it holds for ramps down too).</item>
/// </list>
/// <para>
/// Each time is computed from <c>i</c> afresh and floored to a <see cref="Stopwatch"/> tick, so nothing
/// accumulates: send one billion is exactly where the formula puts it. A constant integral rate whose
/// segment starts on a whole send is computed in integers (<c>floor(j * frequency / r)</c>, exact);
/// other segments in doubles, which are exact to the tick while <c>j * frequency</c> stays below 2^53 and
/// within a relative 2^-53 beyond (never a drift).
/// </para>
/// </remarks>
public sealed class RateSchedule
{
    private const double CountTolerance = 1e-9;
    private const double TickTolerance = 1e-6;

    private readonly Segment[] _segments;

    /// <summary>Creates a schedule that runs <paramref name="segments"/> one after another.</summary>
    public RateSchedule(IReadOnlyList<RateSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count == 0)
        {
            throw new ArgumentException("A schedule needs at least one segment.", nameof(segments));
        }

        Segments = [.. segments];
        _segments = new Segment[segments.Count];
        long startTicks = 0;
        TimeSpan elapsed = TimeSpan.Zero;
        double startCount = 0;
        for (int k = 0; k < segments.Count; k++)
        {
            RateSegment s = segments[k];
            if (!(s.StartRate >= 0) || !(s.EndRate >= 0) || double.IsInfinity(s.StartRate) || double.IsInfinity(s.EndRate))
            {
                throw new ArgumentOutOfRangeException(nameof(segments), $"Segment {k}: rates must be finite and not negative.");
            }

            if (s.Duration <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(segments), $"Segment {k}: the duration must be positive.");
            }

            elapsed += s.Duration;
            long endTicks = StopwatchTicks.FromTimeSpan(elapsed);
            _segments[k] = new Segment(s, startTicks, endTicks, startCount);
            startCount += s.ExpectedCount;
            startTicks = endTicks;
        }

        Duration = elapsed;
        DurationTicks = startTicks;
        ExpectedCount = startCount;
        TotalCount = (long)Math.Ceiling(startCount - CountTolerance);
    }

    /// <summary>The segments, in order.</summary>
    public IReadOnlyList<RateSegment> Segments { get; }

    /// <summary>Total length of the schedule.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Total length of the schedule in <see cref="Stopwatch"/> ticks.</summary>
    public long DurationTicks { get; }

    /// <summary>The area under the rate: the expected number of sends (may be fractional).</summary>
    public double ExpectedCount { get; }

    /// <summary>Number of sends: every index whose intended time falls before the end, <c>ceil(ExpectedCount)</c>.</summary>
    public long TotalCount { get; }

    /// <summary>Rate at the start of the schedule.</summary>
    public double InitialRate => Segments[0].StartRate;

    /// <summary>A constant rate for <paramref name="duration"/>.</summary>
    public static RateSchedule Constant(double rate, TimeSpan duration) => new([RateSegment.Constant(rate, duration)]);

    /// <summary>A linear ramp from <paramref name="from"/> to <paramref name="to"/> messages per second over <paramref name="duration"/>.</summary>
    public static RateSchedule Ramp(double from, double to, TimeSpan duration) => new([RateSegment.Ramp(from, to, duration)]);

    /// <summary>This schedule preceded by <paramref name="warmUp"/> at its initial rate (itself when the warm-up is zero).</summary>
    public RateSchedule WithWarmUp(TimeSpan warmUp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(warmUp, TimeSpan.Zero);
        if (warmUp == TimeSpan.Zero)
        {
            return this;
        }

        var segments = new List<RateSegment>(Segments.Count + 1) { RateSegment.Constant(InitialRate, warmUp) };
        segments.AddRange(Segments);
        return new RateSchedule(segments);
    }

    /// <summary>
    /// The intended send time of send <paramref name="index"/>, in <see cref="Stopwatch"/> ticks from the start
    /// of the schedule. A pure function of the index; non-decreasing in it.
    /// </summary>
    public long OffsetTicks(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Segment[] segments = _segments;
        int k = 0;
        while (k < segments.Length - 1 && index >= segments[k + 1].StartCount - CountTolerance)
        {
            k++;
        }

        return segments[k].OffsetTicks(index);
    }

    /// <summary>Number of sends whose intended time is before <paramref name="offsetTicks"/> (binary search over <see cref="OffsetTicks"/>).</summary>
    public long CountBefore(long offsetTicks)
    {
        long lo = 0;
        long hi = TotalCount;
        while (lo < hi)
        {
            long mid = lo + ((hi - lo) / 2);
            if (OffsetTicks(mid) < offsetTicks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The rate in messages per second at <paramref name="offset"/> from the start (0 after the end).</summary>
    public double RateAt(TimeSpan offset)
    {
        TimeSpan start = TimeSpan.Zero;
        foreach (RateSegment s in Segments)
        {
            if (offset < start + s.Duration)
            {
                double fraction = (offset - start).TotalSeconds / s.Duration.TotalSeconds;
                return s.StartRate + ((s.EndRate - s.StartRate) * Math.Max(0, fraction));
            }

            start += s.Duration;
        }

        return 0;
    }

    /// <summary>A short description such as <c>1000/s for 10 s, then 1000/s → 5000/s over 30 s</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (RateSegment s in Segments)
        {
            if (text.Length > 0)
            {
                text.Append(", then ");
            }

            if (s.StartRate.Equals(s.EndRate))
            {
                text.Append(CultureInfo.InvariantCulture, $"{s.StartRate:0.###}/s for {s.Duration.TotalSeconds:0.###} s");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{s.StartRate:0.###}/s → {s.EndRate:0.###}/s over {s.Duration.TotalSeconds:0.###} s");
            }
        }

        return text.ToString();
    }

    private readonly struct Segment
    {
        private readonly long _startTicks;
        private readonly long _endTicks;
        private readonly double _startRate;
        private readonly double _slope;

        // The exact path: a constant integral rate from a whole number of sends.
        private readonly bool _exact;
        private readonly long _firstIndex;
        private readonly long _rate;
        private readonly long _ticksPerSend;
        private readonly long _remainder;

        public Segment(RateSegment segment, long startTicks, long endTicks, double startCount)
        {
            _startTicks = startTicks;
            _endTicks = endTicks;
            StartCount = startCount;
            _startRate = segment.StartRate;
            _slope = (segment.EndRate - segment.StartRate) / segment.Duration.TotalSeconds;
            double firstIndex = Math.Round(startCount);
            _exact = segment.StartRate.Equals(segment.EndRate)
                && segment.StartRate >= 1
                && segment.StartRate <= long.MaxValue / 2
                && segment.StartRate == Math.Floor(segment.StartRate)
                && Math.Abs(startCount - firstIndex) < CountTolerance;
            if (_exact)
            {
                _firstIndex = (long)firstIndex;
                _rate = (long)segment.StartRate;
                _ticksPerSend = StopwatchTicks.Frequency / _rate;
                _remainder = StopwatchTicks.Frequency % _rate;
            }
        }

        public double StartCount { get; }

        public long OffsetTicks(long index)
        {
            if (_exact)
            {
                long j = index - _firstIndex;
                if (j >= 0 && (_remainder == 0 || j <= long.MaxValue / _remainder))
                {
                    // floor(j * F / r) = j * floor(F / r) + floor(j * (F mod r) / r), without overflow.
                    return _startTicks + (j * _ticksPerSend) + (j * _remainder / _rate);
                }
            }

            double local = Math.Max(0, index - StartCount);
            double seconds;
            if (_slope == 0 && _startRate == 0)
            {
                // No send falls in a segment of rate zero; an index past the end lands on its end.
                return _endTicks;
            }

            if (_slope == 0)
            {
                seconds = local / _startRate;
            }
            else
            {
                double denominator = _startRate + Math.Sqrt(Math.Max(0, (_startRate * _startRate) + (2 * _slope * local)));
                seconds = denominator > 0 ? 2 * local / denominator : 0;
            }

            double ticks = Math.Floor((seconds * StopwatchTicks.Frequency) + TickTolerance);
            return Math.Min(_startTicks + (long)ticks, _endTicks);
        }
    }
}
