using System.Diagnostics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace FastAgents.Perf.Load;

/// <summary>
/// Waits until a <see cref="Stopwatch"/> timestamp: sleeps while the deadline is far (a sleep overshoots
/// by up to a scheduler tick), yields while it is near, and spins with a pause only for the last few
/// microseconds, so a generator waiting between sends leaves the other core to the system under test.
/// </summary>
internal static class PreciseWait
{
    private static readonly long s_sleepAbove = StopwatchTicks.FromTimeSpan(TimeSpan.FromMilliseconds(2));
    private static readonly long s_yieldAbove = StopwatchTicks.FromTimeSpan(TimeSpan.FromMicroseconds(20));
    private static readonly long s_ticksPerMillisecond = Stopwatch.Frequency / 1000;

    // Pauses between two reads of the clock while spinning (a few hundred nanoseconds).
    private const int PausesPerClockRead = 8;

    /// <summary>
    /// Returns the first timestamp read at or after <paramref name="deadline"/>, or earlier, as soon as a long
    /// wait notices that <paramref name="cancellationToken"/> was signalled (the caller checks it).
    /// </summary>
    public static long Until(long deadline, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            long remaining = deadline - now;
            if (remaining <= 0)
            {
                return now;
            }

            if (remaining > s_sleepAbove)
            {
                // Wake about a millisecond early and finish with yields: a sleep lasts its time or more.
                int milliseconds = (int)Math.Min(int.MaxValue, (remaining - (s_sleepAbove / 2)) / s_ticksPerMillisecond);
                if (!cancellationToken.CanBeCanceled)
                {
                    Thread.Sleep(milliseconds);
                }
                else if (cancellationToken.WaitHandle.WaitOne(milliseconds))
                {
                    return Stopwatch.GetTimestamp();
                }
            }
            else if (remaining > s_yieldAbove)
            {
                Thread.Yield();
            }
            else
            {
                for (int i = 0; i < PausesPerClockRead; i++)
                {
                    Pause();
                }
            }
        }
    }

    private static void Pause()
    {
        if (X86Base.IsSupported)
        {
            X86Base.Pause();
        }
        else if (ArmBase.IsSupported)
        {
            ArmBase.Yield();
        }
        else
        {
            Thread.SpinWait(1);
        }
    }
}
