using System.Buffers;
using FastAgents.Rings;
using FastAgents.Runtime.Internal;
using FastAgents.Serialization;

namespace FastAgents.Runtime.Envelopes;

/// <summary>
/// Serializes a payload straight into a claimed ring slot: into the frame's inline area while it fits,
/// then into a buffer rented from the shared pool (grown by doubling, old buffers returned). No
/// intermediate buffer, and no allocation while the payload fits inline.
/// </summary>
/// <remarks>
/// A struct, so that the serializer is compiled for it and calls it directly; it names the slot by ring
/// and sequence because a buffer writer cannot hold a reference to a slot.
/// </remarks>
public struct SlotPayloadWriter : IBufferWriter<byte>
{
    /// <summary>The largest payload accepted by default (16 MiB).</summary>
    public const int DefaultMaxPayload = 16 << 20;

    private readonly RingBuffer<EnvelopeSlot> _ring;
    private readonly long _sequence;
    private readonly int _maxPayload;
    private int _written;

    /// <summary>Starts an empty payload in slot <paramref name="sequence"/> of <paramref name="ring"/>.</summary>
    public SlotPayloadWriter(RingBuffer<EnvelopeSlot> ring, long sequence, int maxPayload = DefaultMaxPayload)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayload, EnvelopeFrame.InlineCapacity);
        _ring = ring;
        _sequence = sequence;
        _maxPayload = maxPayload;
        _written = 0;
        ref EnvelopeSlot slot = ref ring[sequence];
        if (slot.Overflow is not null)
        {
            slot.ReleasePayload();
        }
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Written => _written;

    /// <summary>Writes <paramref name="value"/> into the slot and fills in the header's payload fields.</summary>
    /// <returns>The payload length in bytes.</returns>
    /// <exception cref="InvalidOperationException">The payload exceeds the maximum size.</exception>
    public static int Write<T>(RingBuffer<EnvelopeSlot> ring, long sequence, in T value, uint payloadType, int maxPayload = DefaultMaxPayload)
    {
        var writer = new SlotPayloadWriter(ring, sequence, maxPayload);
        FastSerializer.Serialize(in writer, in value);
        writer.Complete(payloadType);
        return writer._written;
    }

    /// <summary>Records the payload's type and length in the slot's header.</summary>
    public readonly void Complete(uint payloadType)
    {
        ref EnvelopeHeader header = ref _ring[_sequence].Frame.Header;
        header.PayloadType = payloadType;
        header.PayloadLength = (uint)_written;
        header.Length = (uint)(EnvelopeHeader.Size + _written);
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ref EnvelopeSlot slot = ref _ring[_sequence];
        int capacity = slot.Overflow?.Length ?? EnvelopeFrame.InlineCapacity;
        if (_written + count > capacity)
        {
            ThrowHelper.ThrowAdvancedPastBuffer(count, capacity - _written);
        }

        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        // Memory cannot point into a struct in an array, so a caller that needs Memory gets the overflow.
        ref EnvelopeSlot slot = ref _ring[_sequence];
        if (slot.Overflow is null)
        {
            Spill(ref slot, Math.Max(sizeHint, 1));
        }
        else
        {
            Reserve(ref slot, sizeHint);
        }

        return slot.Overflow.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        ref EnvelopeSlot slot = ref _ring[_sequence];
        int needed = Math.Max(sizeHint, 1);
        if (slot.Overflow is null)
        {
            if (_written + needed <= EnvelopeFrame.InlineCapacity)
            {
                return slot.Frame.InlinePayload[_written..];
            }

            Spill(ref slot, needed);
        }
        else
        {
            Reserve(ref slot, needed);
        }

        return slot.Overflow.AsSpan(_written);
    }

    private readonly void Spill(ref EnvelopeSlot slot, int needed)
    {
        int size = CheckedSize(needed, EnvelopeFrame.InlineCapacity * 4);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        slot.Frame.InlinePayload[.._written].CopyTo(buffer);
        slot.Overflow = buffer;
        slot.Frame.Header.Flags |= EnvelopeFlags.PayloadInOverflow;
    }

    private readonly void Reserve(ref EnvelopeSlot slot, int needed)
    {
        byte[] current = slot.Overflow!;
        if (_written + needed <= current.Length)
        {
            return;
        }

        byte[] grown = ArrayPool<byte>.Shared.Rent(CheckedSize(needed, current.Length * 2));
        current.AsSpan(0, _written).CopyTo(grown);
        slot.Overflow = grown;
        ArrayPool<byte>.Shared.Return(current);
    }

    private readonly int CheckedSize(int needed, int preferred)
    {
        long required = (long)_written + needed;
        if (required > _maxPayload)
        {
            ThrowHelper.ThrowPayloadTooLarge(required, _maxPayload);
        }

        return (int)Math.Min(Math.Max(required, preferred), _maxPayload);
    }
}
