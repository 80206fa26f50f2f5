using System.Numerics;
using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// Coordinates producers claiming slots of a ring and consumers reading them: hands out sequences, keeps
/// producers from overwriting slots that gating consumers have not released, and wakes waiting consumers.
/// </summary>
/// <typeparam name="TWait">The wait strategy, a struct so that calls to it compile to direct, inlinable code.</typeparam>
/// <remarks>
/// Usage: <c>long s = sequencer.Next(); ring[s] = value; sequencer.Publish(s);</c>. Claim a batch with
/// <see cref="Next(int)"/> and publish it with <see cref="Publish(long, long)"/>. Add every consumer that
/// must see all events (the last consumers of a dependency graph) as gating sequences before publishing.
/// Hold the concrete sealed sequencer type on hot paths so that the JIT can call it without a virtual call.
/// </remarks>
public abstract class Sequencer<TWait> where TWait : struct, IWaitStrategy
{
    private protected readonly TWait _waitStrategy;
    private protected readonly Sequence _cursor = new();
    private protected readonly int _bufferSize;
    private protected Sequence[] _gatingSequences = [];

    // Serialises changes to the gating set (set-up time only); a private object, since the cursor is public.
    private readonly Lock _gatingLock = new();

    private protected Sequencer(int bufferSize, TWait waitStrategy)
    {
        if (bufferSize < 1 || bufferSize > (1 << 30) || !BitOperations.IsPow2(bufferSize))
        {
            ThrowHelper.ThrowBufferSizeNotPowerOfTwo(bufferSize);
        }

        _bufferSize = bufferSize;
        _waitStrategy = waitStrategy;
    }

    /// <summary>Number of slots in the ring this sequencer coordinates.</summary>
    public int BufferSize => _bufferSize;

    /// <summary>
    /// The producer cursor. For a single producer it is the highest published sequence; for many producers
    /// it is the highest claimed one, and <see cref="IsAvailable"/> tells which of those are published.
    /// </summary>
    public Sequence Cursor => _cursor;

    /// <summary>The wait strategy shared by this sequencer and the barriers it creates.</summary>
    public TWait WaitStrategy => _waitStrategy;

    /// <summary>
    /// Adds sequences that producers must not overtake by more than the buffer size. Call during set-up,
    /// before publishing; a gating sequence added later starts at the current cursor.
    /// </summary>
    public void AddGatingSequences(params ReadOnlySpan<Sequence> sequences)
    {
        lock (_gatingLock)
        {
            long cursor = _cursor.Value;
            Sequence[] updated = new Sequence[_gatingSequences.Length + sequences.Length];
            _gatingSequences.CopyTo(updated, 0);
            for (int i = 0; i < sequences.Length; i++)
            {
                if (sequences[i].Value < cursor)
                {
                    sequences[i].SetValue(cursor);
                }

                updated[_gatingSequences.Length + i] = sequences[i];
            }

            Volatile.Write(ref _gatingSequences, updated);
        }
    }

    /// <summary>Removes a gating sequence (a consumer that left). Returns false when it was not present.</summary>
    public bool RemoveGatingSequence(Sequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        lock (_gatingLock)
        {
            int index = Array.IndexOf(_gatingSequences, sequence);
            if (index < 0)
            {
                return false;
            }

            Sequence[] updated = new Sequence[_gatingSequences.Length - 1];
            Array.Copy(_gatingSequences, 0, updated, 0, index);
            Array.Copy(_gatingSequences, index + 1, updated, index, updated.Length - index);
            Volatile.Write(ref _gatingSequences, updated);
            return true;
        }
    }

    /// <summary>The slowest gating sequence, or the cursor when there are none.</summary>
    public long GetMinimumGatingSequence() => Sequence.GetMinimum(Volatile.Read(ref _gatingSequences), _cursor.Value);

    /// <summary>
    /// Creates a barrier for a consumer that waits on the producers (no <paramref name="upstream"/>) or on
    /// the given consumers, which must all run before it (a dependency graph on one ring).
    /// </summary>
    public SequenceBarrier<TWait> NewBarrier(params Sequence[] upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        foreach (Sequence s in upstream)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(upstream));
            s.HasDependents = true;
        }

        return new SequenceBarrier<TWait>(this, _waitStrategy, new DependentSequences(_cursor, upstream));
    }

    /// <summary>Claims the next slot, waiting while the ring is full.</summary>
    /// <returns>The claimed sequence.</returns>
    public abstract long Next();

    /// <summary>Claims <paramref name="n"/> consecutive slots, waiting while there is not room for them.</summary>
    /// <returns>The highest claimed sequence; the batch is <c>[result - n + 1, result]</c>.</returns>
    public abstract long Next(int n);

    /// <summary>Claims the next slot if there is room now.</summary>
    /// <returns>False, without waiting or claiming, when the ring is full.</returns>
    public abstract bool TryNext(out long sequence);

    /// <summary>Claims <paramref name="n"/> slots if there is room for all of them now.</summary>
    /// <returns>False, without waiting or claiming, when there is not room for <paramref name="n"/> slots.</returns>
    public abstract bool TryNext(int n, out long sequence);

    /// <summary>Publishes one claimed sequence to consumers.</summary>
    public abstract void Publish(long sequence);

    /// <summary>Publishes the claimed range <c>[lo, hi]</c> to consumers.</summary>
    public abstract void Publish(long lo, long hi);

    /// <summary>True when <paramref name="sequence"/> has been published and not yet overwritten.</summary>
    public abstract bool IsAvailable(long sequence);

    /// <summary>
    /// Given that sequences up to <paramref name="availableSequence"/> are claimed, returns the highest
    /// sequence from <paramref name="nextSequence"/> on such that all before it are published.
    /// </summary>
    public abstract long GetHighestPublishedSequence(long nextSequence, long availableSequence);

    /// <summary>Number of slots a producer could claim right now without waiting.</summary>
    public abstract long RemainingCapacity();

    /// <summary>Wakes consumers that wait through this sequencer's strategy (used when halting).</summary>
    internal void SignalConsumers() => _waitStrategy.SignalAllWhenBlocking();

    private protected static void CheckBatch(int n, int bufferSize)
    {
        if ((uint)(n - 1) >= (uint)bufferSize)
        {
            ThrowHelper.ThrowBatchSizeOutOfRange(n, bufferSize);
        }
    }
}
