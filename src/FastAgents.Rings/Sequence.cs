using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastAgents.Rings;

/// <summary>
/// A 64-bit sequence counter padded onto its own cache line, with every access naming its memory ordering.
/// </summary>
/// <remarks>
/// <para>
/// Design: producers and consumers each own one sequence and read the others'. Without padding, two
/// sequences written by different cores can share a cache line and every write invalidates the other
/// core's copy (false sharing). The value sits 56 bytes into the object with 56 bytes after it (the last 8 of them a field, since
/// the runtime does not pad a class out to its declared size), so no
/// other heap object can share its line; <c>SequenceLayoutTests</c> proves the offsets.
/// </para>
/// <para>
/// Orderings: <see cref="Value"/> is an acquire load, <see cref="SetValue"/> a release store (enough to
/// publish the slot written before it), <see cref="SetValueVolatile"/> a store followed by a full fence
/// (for Dekker-style checks that must see the other side's store), and the read-modify-write methods are
/// full fences.
/// </para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 120)]
public sealed class Sequence
{
    /// <summary>The value a new sequence starts at: nothing claimed, published or consumed yet.</summary>
    public const long InitialValue = -1;

    // Written once at set-up (before any thread runs), read by the owner only: it shares the leading pad.
    [FieldOffset(0)]
    private bool _hasDependents;

    [FieldOffset(56)]
    private long _value;

    // The runtime does not extend a class to its declared Size, so a field must occupy the last bytes.
#pragma warning disable CS0169, IDE0051 // never read: it exists to pad
    [FieldOffset(112)]
    private readonly long _trailingPad;
#pragma warning restore CS0169, IDE0051

    /// <summary>Creates a sequence starting at <paramref name="initialValue"/>.</summary>
    public Sequence(long initialValue = InitialValue) => _value = initialValue;

    /// <summary>The current value, read with acquire semantics.</summary>
    public long Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _value);
    }

    /// <summary>
    /// True when a barrier waits on this sequence (a consumer downstream in a dependency graph), so the
    /// owner must wake parked waiters after advancing it.
    /// </summary>
    internal bool HasDependents
    {
        get => _hasDependents;
        set => _hasDependents = value;
    }

    /// <summary>Stores <paramref name="value"/> with release semantics: earlier writes are visible first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetValue(long value) => Volatile.Write(ref _value, value);

    /// <summary>Stores <paramref name="value"/> and then issues a full fence, so later loads cannot pass the store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetValueVolatile(long value) => Interlocked.Exchange(ref _value, value);

    /// <summary>Atomically sets the value to <paramref name="next"/> if it equals <paramref name="expected"/>.</summary>
    /// <returns>True when the swap happened.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CompareAndSet(long expected, long next) => Interlocked.CompareExchange(ref _value, next, expected) == expected;

    /// <summary>Atomically adds <paramref name="delta"/> and returns the new value (full fence).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long AddAndGet(long delta) => Interlocked.Add(ref _value, delta);

    /// <summary>Atomically adds one and returns the new value (full fence).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long IncrementAndGet() => Interlocked.Increment(ref _value);

    /// <summary>Returns the smallest value among <paramref name="sequences"/>, or <paramref name="minimum"/> if it is smaller or the span is empty.</summary>
    public static long GetMinimum(ReadOnlySpan<Sequence> sequences, long minimum = long.MaxValue)
    {
        for (int i = 0; i < sequences.Length; i++)
        {
            long v = sequences[i].Value;
            if (v < minimum)
            {
                minimum = v;
            }
        }

        return minimum;
    }

    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
