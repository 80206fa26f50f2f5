using System.Runtime.InteropServices;

namespace FastAgents.Rings.Internal;

/// <summary>
/// The Linux futex system call: the cheapest way to put a thread to sleep on a word and wake it. Monitors
/// and events in the runtime end up here too, but through a lock and a condition variable that the waker
/// must take and the woken thread must re-acquire.
/// </summary>
internal static unsafe partial class Futex
{
    private const int FutexWaitPrivate = 128;
    private const int FutexWakePrivate = 129;

    private static readonly long s_syscallNumber = GetSyscallNumber();

    /// <summary>True on Linux x64 and Arm64, where the call and its number are known.</summary>
    public static bool IsSupported => s_syscallNumber != 0;

    /// <summary>Sleeps while <c>*address == expected</c>; may return early (spuriously, or on a signal).</summary>
    public static void Wait(int* address, int expected) =>
        _ = Syscall(s_syscallNumber, address, FutexWaitPrivate, expected, null, null, 0);

    /// <summary>Wakes every thread sleeping on <paramref name="address"/>.</summary>
    public static void WakeAll(int* address) =>
        _ = Syscall(s_syscallNumber, address, FutexWakePrivate, int.MaxValue, null, null, 0);

    private static long GetSyscallNumber()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        long number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 202,
            Architecture.Arm64 => 98,
            _ => 0,
        };
        if (number == 0)
        {
            return 0;
        }

        try
        {
            // A wake on a private word nobody waits on: proves the library loads and the call works.
            int probe = 0;
            _ = Syscall(number, &probe, FutexWakePrivate, 1, null, null, 0);
            return number;
        }
        catch (DllNotFoundException)
        {
            return 0;
        }
        catch (EntryPointNotFoundException)
        {
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, int* address, int operation, int value, void* timeout, int* address2, int value3);
}
