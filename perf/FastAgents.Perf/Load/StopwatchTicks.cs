using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace FastAgents.Perf.Load;

/// <summary>Conversions between <see cref="Stopwatch"/> ticks, nanoseconds and <see cref="TimeSpan"/>.</summary>
public static class StopwatchTicks
{
    /// <summary>Ticks per second (<see cref="Stopwatch.Frequency"/>).</summary>
    public static readonly long Frequency = Stopwatch.Frequency;

    private static readonly bool s_ticksAreNanoseconds = Stopwatch.Frequency == 1_000_000_000;
    private static readonly double s_nanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    /// <summary>Ticks to nanoseconds (ticks are nanoseconds on Linux, not everywhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToNanoseconds(long ticks) => s_ticksAreNanoseconds ? ticks : (long)(ticks * s_nanosecondsPerTick);

    /// <summary>Exact for any <see cref="TimeSpan"/> a run can last (the product fits in 128 bits).</summary>
    public static long FromTimeSpan(TimeSpan span) => (long)((Int128)span.Ticks * Frequency / TimeSpan.TicksPerSecond);

    /// <summary>Ticks to seconds.</summary>
    public static double ToSeconds(long ticks) => (double)ticks / Frequency;

    /// <summary>Ticks to a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan ToTimeSpan(long ticks) => TimeSpan.FromTicks((long)((Int128)ticks * TimeSpan.TicksPerSecond / Frequency));
}
