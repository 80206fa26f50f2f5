using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastAgents.Runtime.Envelopes;
using FastAgents.Serialization;

namespace FastAgents.Runtime.Internal;

/// <summary>
/// Serializes a payload straight into a claimed slot: inline while it fits, then into a buffer from the shared
/// pool that the slot keeps beside it until the envelope is handled.
/// </summary>
internal struct LaneWriter : IBufferWriter<byte>
{
    private readonly Lane _lane;
    private readonly long _sequence;
    private readonly int _offset;
    private readonly int _maxPayload;
    private byte[]? _overflow;
    private int _written;

    public LaneWriter(Lane lane, long sequence, int payloadOffset, int maxPayload)
    {
        _lane = lane;
        _sequence = sequence;
        _offset = payloadOffset;
        _maxPayload = maxPayload;
        _overflow = null;
        _written = 0;
    }

    public readonly int Written => _written;

    /// <summary>
    /// Writes a payload the serializer would write as a plain copy of its memory (an unmanaged struct) straight into
    /// the slot after the header, with no writer and no exception handling, so the send path stays inlinable.
    /// </summary>
    /// <returns>False when the type is not a raw copy or does not fit inline; nothing is written then.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWriteRaw<T>(ref byte slot, ref EnvelopeHeader header, in T payload)
    {
        int offset = header.PayloadOffset;
        if (!FastSerializer.IsRawCopy<T>() || Unsafe.SizeOf<T>() > Lane.SlotSize - offset)
        {
            return false;
        }

        Unsafe.WriteUnaligned(ref Unsafe.Add(ref slot, offset), payload);
        header.PayloadType = MessageType<T>.Id;
        header.PayloadLength = (uint)Unsafe.SizeOf<T>();
        header.Length = (uint)(offset + Unsafe.SizeOf<T>());
        return true;
    }

    /// <summary>
    /// Serializes a payload into a claimed slot (inline, or into a pooled buffer beside it) and records its type and
    /// length in the header; a buffer rented for a payload that fails half way is returned.
    /// </summary>
    public static void WriteSerialized<T>(Lane lane, long sequence, ref EnvelopeHeader header, in T payload, int maxPayload)
    {
        var writer = new LaneWriter(lane, sequence, header.PayloadOffset, maxPayload);
        try
        {
            FastSerializer.Serialize(in writer, in payload);
        }
        catch
        {
            writer.Abandon();
            throw;
        }

        header.PayloadType = MessageType<T>.Id;
        writer.Complete(ref header);
    }

    /// <summary>Records the payload's length and where it lives in the slot's header.</summary>
    public readonly void Complete(ref EnvelopeHeader header)
    {
        header.PayloadLength = (uint)_written;
        header.Length = (uint)(_offset + _written);
        if (_overflow is not null)
        {
            header.Flags |= EnvelopeFlags.Overflow;
            _lane.SetOverflow(_sequence, _overflow);
        }
    }

    /// <summary>Returns a buffer rented for a payload that failed half way.</summary>
    public void Abandon()
    {
        if (_overflow is not null)
        {
            ArrayPool<byte>.Shared.Return(_overflow);
            _overflow = null;
        }
    }

    public void Advance(int count)
    {
        int capacity = _overflow?.Length ?? (Lane.SlotSize - _offset);
        if ((uint)count > (uint)(capacity - _written))
        {
            ThrowHelper.ThrowAdvancedPastBuffer(count, capacity - _written);
        }

        // The limit applies to bytes written, not to what a formatter asks room for (a string asks for its
        // worst case, three bytes per character).
        if ((long)_written + count > _maxPayload)
        {
            ThrowHelper.ThrowPayloadTooLarge((long)_written + count, _maxPayload);
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        // Memory cannot point into the pinned ring, so a caller that needs Memory gets the overflow buffer.
        Reserve(Math.Max(sizeHint, 1), forceOverflow: true);
        return _overflow.AsMemory(_written);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_overflow is null && _written + needed <= Lane.SlotSize - _offset)
        {
            return MemoryMarshal.CreateSpan(
                ref Unsafe.Add(ref _lane.Slot(_sequence), _offset + _written), Lane.SlotSize - _offset - _written);
        }

        Reserve(needed, forceOverflow: false);
        return _overflow.AsSpan(_written);
    }

    private void Reserve(int needed, bool forceOverflow)
    {
        long required = (long)_written + needed;
        if (required > ((long)_maxPayload * 4) + 64)
        {
            // Beyond any worst-case request for a payload within the limit.
            ThrowHelper.ThrowPayloadTooLarge(required, _maxPayload);
        }

        if (_overflow is null)
        {
            if (!forceOverflow && required <= Lane.SlotSize - _offset)
            {
                return;
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(required, 1024));
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref _lane.Slot(_sequence), _offset), _written).CopyTo(buffer);
            _overflow = buffer;
            return;
        }

        if (required <= _overflow.Length)
        {
            return;
        }

        byte[] grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(required, (long)_overflow.Length * 2), Array.MaxLength));
        _overflow.AsSpan(0, _written).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_overflow);
        _overflow = grown;
    }
}
