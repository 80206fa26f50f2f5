using System.Runtime.InteropServices;

namespace FastAgents.Rings;

/// <summary>
/// Pins the calling thread to one CPU (Linux), so that the scheduler cannot place two threads of a
/// request/reply exchange on the same CPU after a wake-up. Elsewhere the calls return false and change
/// nothing.
/// </summary>
public static unsafe partial class ThreadAffinity
{
    private const int MaskBytes = 128; // 1024 CPUs

    /// <summary>Restricts the calling thread to <paramref name="cpu"/>.</summary>
    /// <returns>False when pinning is not supported here or the CPU is not available to the process.</returns>
    public static bool TryPinCurrentThread(int cpu)
    {
        if (!OperatingSystem.IsLinux() || cpu < 0 || cpu >= MaskBytes * 8)
        {
            return false;
        }

        byte* mask = stackalloc byte[MaskBytes];
        new Span<byte>(mask, MaskBytes).Clear();
        mask[cpu / 8] = (byte)(1 << (cpu % 8));
        return SetAffinity(mask);
    }

    /// <summary>Lets the calling thread run on every CPU again (after <see cref="TryPinCurrentThread"/>).</summary>
    /// <returns>False when not supported here.</returns>
    public static bool TryUnpinCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        byte* mask = stackalloc byte[MaskBytes];
        new Span<byte>(mask, MaskBytes).Fill(0xFF);
        return SetAffinity(mask);
    }

    private static bool SetAffinity(byte* mask)
    {
        try
        {
            // pid 0 is the calling thread.
            return SchedSetAffinity(0, MaskBytes, mask) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static partial int SchedSetAffinity(int pid, nuint size, byte* mask);
}
