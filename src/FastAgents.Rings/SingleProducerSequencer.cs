using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// A sequencer for exactly one producer thread: claiming is plain arithmetic on fields only that thread
/// touches, and publishing is one release store of the cursor (plus the strategy's wake check).
/// </summary>
/// <typeparam name="TWait">The wait strategy.</typeparam>
/// <remarks>
/// Design: <c>_next</c> (last claimed) and <c>_cachedGating</c> (the slowest consumer as last seen) belong
/// to the producer alone and live in a padded block, so the producer reads the consumers' sequences only
/// when its cached view says the ring might be full. Calling <see cref="Next()"/> from two threads at once
/// corrupts the ring; use <see cref="MultiProducerSequencer{TWait}"/> for that.
/// </remarks>
public sealed class SingleProducerSequencer<TWait> : Sequencer<TWait> where TWait : struct, IWaitStrategy
{
    private PaddedProducerFields _fields;

    /// <summary>Creates a sequencer for a ring of <paramref name="bufferSize"/> slots with a default-constructed strategy.</summary>
    public SingleProducerSequencer(int bufferSize)
        : this(bufferSize, new TWait())
    {
    }

    /// <summary>Creates a sequencer for a ring of <paramref name="bufferSize"/> slots (a power of two).</summary>
    public SingleProducerSequencer(int bufferSize, TWait waitStrategy)
        : base(bufferSize, waitStrategy)
    {
        _fields.Next = Sequence.InitialValue;
        _fields.CachedGating = Sequence.InitialValue;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override long Next() => Next(1);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override long Next(int n)
    {
        CheckBatch(n, _bufferSize);
        long current = _fields.Next;
        long next = current + n;
        long wrapPoint = next - _bufferSize;
        long cached = _fields.CachedGating;
        if (wrapPoint > cached || cached > current)
        {
            WaitForCapacity(current, wrapPoint);
        }

        _fields.Next = next;
        return next;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitForCapacity(long current, long wrapPoint)
    {
        ProducerBackoff backoff = default;
        long minimum;
        while (wrapPoint > (minimum = Sequence.GetMinimum(Volatile.Read(ref _gatingSequences), current)))
        {
            backoff.Once();
        }

        _fields.CachedGating = minimum;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override bool TryNext(out long sequence) => TryNext(1, out sequence);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override bool TryNext(int n, out long sequence)
    {
        CheckBatch(n, _bufferSize);
        long current = _fields.Next;
        if (!HasCapacity(current, n))
        {
            sequence = current;
            return false;
        }

        sequence = _fields.Next = current + n;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HasCapacity(long current, int n)
    {
        long wrapPoint = current + n - _bufferSize;
        long cached = _fields.CachedGating;
        return (wrapPoint <= cached && cached <= current) || RefreshCapacity(current, wrapPoint);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RefreshCapacity(long current, long wrapPoint)
    {
        long minimum = Sequence.GetMinimum(Volatile.Read(ref _gatingSequences), current);
        _fields.CachedGating = minimum;
        return wrapPoint <= minimum;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Publish(long sequence)
    {
        _cursor.SetValue(sequence);
        _waitStrategy.SignalAllWhenBlocking();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Publish(long lo, long hi)
    {
        if (hi < lo)
        {
            ThrowHelper.ThrowPublishOutOfOrder(lo, hi);
        }

        Publish(hi);
    }

    /// <inheritdoc/>
    public override bool IsAvailable(long sequence)
    {
        long cursor = _cursor.Value;
        return sequence <= cursor && sequence > cursor - _bufferSize;
    }

    /// <inheritdoc/>
    public override long GetHighestPublishedSequence(long nextSequence, long availableSequence) => availableSequence;

    /// <inheritdoc/>
    public override long RemainingCapacity()
    {
        long produced = _fields.Next;
        long consumed = Sequence.GetMinimum(Volatile.Read(ref _gatingSequences), produced);
        return _bufferSize - (produced - consumed);
    }
}
