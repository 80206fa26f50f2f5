using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// A sequencer that any number of threads may claim from at once.
/// </summary>
/// <typeparam name="TWait">The wait strategy.</typeparam>
/// <remarks>
/// <para>
/// Design: <see cref="Next(int)"/> claims with one atomic add on the cursor and only then checks capacity,
/// so claimers never retry against each other; a claimed slot is written only after the slowest gating
/// consumer has released it. Because producers publish out of order, each slot has an availability flag
/// holding the lap number (<c>sequence &gt;&gt; log2(bufferSize)</c>) of the event last published into it.
/// A consumer that sees the cursor at <c>c</c> scans the flags from its next sequence and stops at the
/// first slot still being written (<see cref="GetHighestPublishedSequence"/>).
/// </para>
/// <para>
/// <see cref="TryNext(int, out long)"/> cannot claim before checking (it must not claim when full), so it
/// uses a compare-and-swap loop instead.
/// </para>
/// </remarks>
public sealed class MultiProducerSequencer<TWait> : Sequencer<TWait> where TWait : struct, IWaitStrategy
{
    private readonly int[] _available;
    private readonly int _indexMask;
    private readonly int _indexShift;
    private readonly Sequence _gatingCache = new();

    /// <summary>Creates a sequencer for a ring of <paramref name="bufferSize"/> slots with a default-constructed strategy.</summary>
    public MultiProducerSequencer(int bufferSize)
        : this(bufferSize, new TWait())
    {
    }

    /// <summary>Creates a sequencer for a ring of <paramref name="bufferSize"/> slots (a power of two).</summary>
    public MultiProducerSequencer(int bufferSize, TWait waitStrategy)
        : base(bufferSize, waitStrategy)
    {
        _available = new int[bufferSize];
        _available.AsSpan().Fill(-1);
        _indexMask = bufferSize - 1;
        _indexShift = BitOperations.Log2((uint)bufferSize);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override long Next() => Next(1);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override long Next(int n)
    {
        CheckBatch(n, _bufferSize);
        long next = _cursor.AddAndGet(n);
        long wrapPoint = next - _bufferSize;
        if (wrapPoint > _gatingCache.Value)
        {
            WaitForCapacity(wrapPoint, next - n);
        }

        return next;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitForCapacity(long wrapPoint, long current)
    {
        ProducerBackoff backoff = default;
        long minimum;
        while (wrapPoint > (minimum = Sequence.GetMinimum(Volatile.Read(ref _gatingSequences), current)))
        {
            backoff.Once();
        }

        // Only move the cache forward: another producer may have stored a fresher view.
        long cached = _gatingCache.Value;
        if (minimum > cached)
        {
            _gatingCache.CompareAndSet(cached, minimum);
        }
    }

    /// <inheritdoc/>
    public override bool TryNext(out long sequence) => TryNext(1, out sequence);

    /// <inheritdoc/>
    public override bool TryNext(int n, out long sequence)
    {
        CheckBatch(n, _bufferSize);
        while (true)
        {
            long current = _cursor.Value;
            long next = current + n;
            long wrapPoint = next - _bufferSize;
            long cached = _gatingCache.Value;
            if (wrapPoint > cached)
            {
                long minimum = Sequence.GetMinimum(Volatile.Read(ref _gatingSequences), current);
                if (minimum > cached)
                {
                    _gatingCache.CompareAndSet(cached, minimum);
                }

                if (wrapPoint > minimum)
                {
                    sequence = current;
                    return false;
                }
            }

            if (_cursor.CompareAndSet(current, next))
            {
                sequence = next;
                return true;
            }
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Publish(long sequence)
    {
        SetAvailable(sequence);
        _waitStrategy.SignalAllWhenBlocking();
    }

    /// <inheritdoc/>
    public override void Publish(long lo, long hi)
    {
        if (hi < lo)
        {
            ThrowHelper.ThrowPublishOutOfOrder(lo, hi);
        }

        for (long s = lo; s <= hi; s++)
        {
            SetAvailable(s);
        }

        _waitStrategy.SignalAllWhenBlocking();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetAvailable(long sequence)
    {
        ref int flag = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_available), (int)sequence & _indexMask);
        Volatile.Write(ref flag, (int)(sequence >>> _indexShift));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override bool IsAvailable(long sequence)
    {
        ref int flag = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_available), (int)sequence & _indexMask);
        return Volatile.Read(ref flag) == (int)(sequence >>> _indexShift);
    }

    /// <inheritdoc/>
    public override long GetHighestPublishedSequence(long nextSequence, long availableSequence)
    {
        for (long s = nextSequence; s <= availableSequence; s++)
        {
            if (!IsAvailable(s))
            {
                return s - 1;
            }
        }

        return availableSequence;
    }

    /// <inheritdoc/>
    public override long RemainingCapacity()
    {
        long produced = _cursor.Value;
        long consumed = Sequence.GetMinimum(Volatile.Read(ref _gatingSequences), produced);
        return _bufferSize - (produced - consumed);
    }
}
