using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace FastAgents.Gate.Cases;

/// <summary>
/// The spin of the deliberate slowdown: a chain of dependent multiplications, calibrated once against the clock so
/// that <see cref="Set"/> can ask for a length in nanoseconds without reading the clock on every operation.
/// </summary>
internal static class Slowdown
{
    private const int CalibrationIterations = 20_000_000;

    private static double s_iterationsPerNanosecond = 1;
    private static int s_iterations;
    private static long s_sink;

    /// <summary>Measures how many spin iterations fit in a nanosecond on this machine (best of three).</summary>
    public static void Calibrate()
    {
        double best = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            s_iterations = CalibrationIterations;
            long start = Stopwatch.GetTimestamp();
            Spin();
            double nanoseconds = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
            best = Math.Max(best, CalibrationIterations / nanoseconds);
        }

        s_iterationsPerNanosecond = best;
        s_iterations = 0;
    }

    /// <summary>Sets the length of each <see cref="Spin"/>.</summary>
    public static void Set(double nanoseconds) => s_iterations = (int)Math.Ceiling(nanoseconds * s_iterationsPerNanosecond);

    /// <summary>Spins for the length set.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Spin()
    {
        long x = s_sink | 1;
        int n = s_iterations;
        for (int i = 0; i < n; i++)
        {
            x = (x * 6364136223846793005L) + 1442695040888963407L;
        }

        s_sink = x;
    }
}
