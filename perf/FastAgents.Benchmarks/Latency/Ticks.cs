using System.Diagnostics;

namespace FastAgents.Benchmarks.Latency;

/// <summary>Stopwatch ticks to nanoseconds (ticks are nanoseconds on Linux, not everywhere).</summary>
internal static class Ticks
{
    private static readonly double s_nanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    public static long ToNanoseconds(long ticks) => (long)(ticks * s_nanosecondsPerTick);

    public static long FromMicroseconds(double microseconds) => (long)(microseconds * Stopwatch.Frequency / 1e6);
}
