using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastAgents.Rings.Internal;

/// <summary>
/// Where consumers of one ring park, and how a publisher wakes them only when one is parked.
/// </summary>
/// <remarks>
/// Design: an asymmetric Dekker pair, where the rare side pays for the fence. A consumer that has spun
/// and yielded in vain announces itself (<see cref="PrepareToPark"/> increments <c>_sleepers</c>), then issues
/// a process-wide memory barrier (the membarrier system call: every CPU running one of our threads
/// executes a full fence before it returns), reads the wake generation, re-checks its condition, and
/// only then sleeps on the generation word. A publisher stores its sequence and reads <c>_sleepers</c> with
/// no fence of its own (<see cref="WakeIfParked"/>): the process-wide barrier either lands after the
/// publisher's load, and so drains the publisher's earlier sequence store before the consumer re-checks,
/// or lands before it, and then the publisher's load sees the sleeper. Either the publisher bumps the
/// generation (so the futex wait returns at once or is woken), or the consumer's re-check sees the new
/// sequence and does not sleep. No wake is lost, and while nobody is parked a publish costs one load of a
/// line that only parking consumers write, instead of a full fence per publish.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 120)]
internal sealed unsafe class ParkingLot
{
    // The futex word lives in a pinned array so its address never moves; index 16 keeps it 64 bytes away
    // from the array header.
    private const int WordIndex = 16;

    [FieldOffset(0)]
    private readonly int[] _generation = GC.AllocateArray<int>(WordIndex * 2, pinned: true);

    [FieldOffset(56)]
    private int _sleepers;

#pragma warning disable CS0169, IDE0051 // never read: the runtime does not pad a class out to its declared Size
    [FieldOffset(112)]
    private readonly long _trailingPad;
#pragma warning restore CS0169, IDE0051

    /// <summary>Number of threads parked or about to park (for tests and diagnostics).</summary>
    public int Sleepers => Volatile.Read(ref _sleepers);

    /// <summary>
    /// Announces an intent to park and returns the generation to park on. Costs a process-wide barrier
    /// (microseconds): callers reach it only after spinning and yielding in vain.
    /// </summary>
    public int PrepareToPark()
    {
        Interlocked.Increment(ref _sleepers);
        Interlocked.MemoryBarrierProcessWide();
        return Volatile.Read(ref _generation[WordIndex]);
    }

    /// <summary>Withdraws the announcement made by <see cref="PrepareToPark"/>.</summary>
    public void CancelPark() => Interlocked.Decrement(ref _sleepers);

    /// <summary>Sleeps until the generation moves past <paramref name="generation"/> (may return early).</summary>
    public void Park(int generation)
    {
        if (Futex.IsSupported)
        {
            fixed (int* word = &_generation[WordIndex])
            {
                Futex.Wait(word, generation);
            }
        }
        else
        {
            lock (_generation)
            {
                if (Volatile.Read(ref _generation[WordIndex]) == generation)
                {
                    Monitor.Wait(_generation);
                }
            }
        }
    }

    /// <summary>Call after storing (with release semantics) a sequence that parked threads may wait for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WakeIfParked()
    {
        // No fence here: PrepareToPark's process-wide barrier orders our sequence store before this load.
        if (Volatile.Read(ref _sleepers) != 0)
        {
            WakeAll();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void WakeAll()
    {
        Interlocked.Increment(ref _generation[WordIndex]);
        if (Futex.IsSupported)
        {
            fixed (int* word = &_generation[WordIndex])
            {
                Futex.WakeAll(word);
            }
        }
        else
        {
            lock (_generation)
            {
                Monitor.PulseAll(_generation);
            }
        }
    }
}
