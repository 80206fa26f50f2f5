using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>
/// Pacing by the kernel's high-resolution timers (Linux): the sending thread sleeps until each intended time instead
/// of spinning or yielding towards it, so it leaves its core to the threads that carry the messages. Its timer slack
/// is set to 1 ns (the default, 50 us, would let the kernel wake it that late). How late it wakes still counts:
/// latency is measured from the intended time.
/// </summary>
internal static partial class TimerPacing
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;
    private const int SetTimerSlack = 29;

    /// <summary>Whether the clock of <see cref="Stopwatch"/> is CLOCK_MONOTONIC in nanoseconds, which the sleep uses.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>Sets the calling thread's timer slack to 1 ns.</summary>
    public static void TightenTimerSlack()
    {
        if (Prctl(SetTimerSlack, 1, 0, 0, 0) != 0)
        {
            throw new InvalidOperationException($"prctl(PR_SET_TIMERSLACK) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Sleeps until <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp); returns at once if it has passed.</summary>
    public static void Until(long deadline)
    {
        var time = new Timespec { Seconds = deadline / 1_000_000_000, Nanoseconds = deadline % 1_000_000_000 };
        while (true)
        {
            int error = ClockNanosleep(ClockMonotonic, TimerAbsoluteTime, in time, IntPtr.Zero);
            if (error != 4) // EINTR: sleep again towards the same absolute time
            {
                return;
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
