using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastAgents.Rings;
using FastAgents.Runtime.Envelopes;

namespace FastAgents.Runtime.Internal;

/// <summary>
/// One inbox lane of a worker: a ring of 128-byte envelope slots in pinned, cache-line-aligned memory, claimed
/// through a sequencer (single-producer for the lane a worker owns in another worker, multi-producer for sends
/// from outside any worker). A slot holds the frame exactly as it goes on the wire; a payload too large for the
/// slot lives in a pooled buffer beside it.
/// </summary>
internal sealed class Lane
{
    public const int SlotSize = 128;
    public const int InlineCapacity = SlotSize - EnvelopeHeader.Size;
    private const int CacheLine = 64;

    private readonly byte[] _storage;
    private readonly int _base;
    private readonly int _mask;
    private readonly byte[]?[] _overflow;

    private readonly ulong _externalIdPrefix;

    public Lane(int capacity, bool singleProducer, SpinThenParkWait wait, int priority, int source, int worker)
    {
        _externalIdPrefix = (1UL << 63) | ((ulong)(uint)((worker * 4) + priority) << 44);
        if (singleProducer)
        {
            Single = new SingleProducerSequencer<SpinThenParkWait>(capacity, wait);
            Sequencer = Single;
        }
        else
        {
            Sequencer = new MultiProducerSequencer<SpinThenParkWait>(capacity, wait);
        }

        Sequencer.AddGatingSequences(Consumed);
        _mask = capacity - 1;
        _storage = GC.AllocateUninitializedArray<byte>((capacity * SlotSize) + (2 * CacheLine), pinned: true);
        nint address = Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref MemoryMarshal.GetArrayDataReference(_storage));
        _base = (int)((CacheLine - (address & (CacheLine - 1))) & (CacheLine - 1));
        _overflow = new byte[capacity][];
        Priority = priority;
        Source = source;
        Producer.PendingHigh = -1;
        Producer.PublishedHigh = -1;
    }

    public Sequencer<SpinThenParkWait> Sequencer { get; }

    /// <summary>The same sequencer, typed, for single-producer lanes (calls on it are not virtual); else null.</summary>
    public SingleProducerSequencer<SpinThenParkWait>? Single { get; }

    public Sequence Consumed { get; } = new();

    public int Priority { get; }

    /// <summary>0 for sends from outside any worker; otherwise the sending worker's index + 1.</summary>
    public int Source { get; }

    /// <summary>
    /// The owning worker's bookkeeping for a single-producer lane. It is written on every send, so it lives in a
    /// padded struct: the consumer reads this object's other fields on every envelope and must not share a cache
    /// line with it.
    /// </summary>
    public ProducerFields Producer;

    public bool HasWork => Sequencer.IsAvailable(Consumed.Value + 1);

    public long Depth => Math.Max(0, Sequencer.Cursor.Value - Consumed.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte Slot(long sequence) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_storage), _base + (((int)sequence & _mask) * SlotSize));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref EnvelopeHeader Header(long sequence) => ref Unsafe.As<byte, EnvelopeHeader>(ref Slot(sequence));

    public byte[]? Overflow(long sequence) => _overflow[(int)sequence & _mask];

    public void SetOverflow(long sequence, byte[]? buffer) => _overflow[(int)sequence & _mask] = buffer;

    /// <summary>
    /// The id of an envelope sent from outside the workers into this lane: the top bit, the lane's worker and
    /// priority, and the slot's sequence, which the claim already made unique (no counter to share).
    /// </summary>
    public ulong ExternalMessageId(long sequence) => _externalIdPrefix | (ulong)sequence;

    /// <summary>The payload of the envelope at <paramref name="sequence"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Payload(long sequence, in EnvelopeHeader header)
    {
        int length = (int)header.PayloadLength;
        if ((header.Flags & EnvelopeFlags.Overflow) != 0)
        {
            return _overflow[(int)sequence & _mask].AsSpan(0, length);
        }

        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref Slot(sequence), header.PayloadOffset), length);
    }

    /// <summary>Returns the overflow buffer of a handled envelope to the pool.</summary>
    public void ReleaseOverflow(long sequence)
    {
        ref byte[]? buffer = ref _overflow[(int)sequence & _mask];
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    /// <summary>Copies the whole frame (header, trace section, payload) into a new array, for dead letters and retries.</summary>
    public byte[] CopyFrame(long sequence)
    {
        ref EnvelopeHeader header = ref Header(sequence);
        int offset = header.PayloadOffset;
        var frame = new byte[offset + (int)header.PayloadLength];
        MemoryMarshal.CreateReadOnlySpan(ref Slot(sequence), offset).CopyTo(frame);
        Payload(sequence, in header).CopyTo(frame.AsSpan(offset));
        Unsafe.As<byte, EnvelopeHeader>(ref frame[0]).Flags &= ~EnvelopeFlags.Overflow;
        Unsafe.As<byte, EnvelopeHeader>(ref frame[0]).Length = (uint)frame.Length;
        return frame;
    }

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    internal struct ProducerFields
    {
        /// <summary>The highest sequence claimed but not yet published.</summary>
        [FieldOffset(64)]
        public long PendingHigh;

        /// <summary>The highest sequence published.</summary>
        [FieldOffset(72)]
        public long PublishedHigh;

        /// <summary>True while the lane is on its owning worker's list of lanes to publish.</summary>
        [FieldOffset(80)]
        public bool Dirty;
    }
}
