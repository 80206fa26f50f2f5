using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using FastAgents.Serialization;

namespace FastAgents.Runtime.Envelopes;

/// <summary>
/// One slot of a worker's inbox ring: an <see cref="EnvelopeFrame"/> (header and inline payload) and,
/// for a payload too large for the frame, a buffer rented from <see cref="ArrayPool{T}.Shared"/> that is
/// returned by <see cref="ReleasePayload"/> once the handler is done.
/// </summary>
public struct EnvelopeSlot
{
    /// <summary>The header and the inline payload.</summary>
    public EnvelopeFrame Frame;

    private byte[]? _overflow;

    /// <summary>The payload bytes, inline or in the overflow buffer.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Payload
    {
        get
        {
            int length = (int)Frame.Header.PayloadLength;
            return (Frame.Header.Flags & EnvelopeFlags.PayloadInOverflow) != 0
                ? _overflow.AsSpan(0, length)
                : ((ReadOnlySpan<byte>)Frame.InlinePayload)[..length];
        }
    }

    /// <summary>True when the payload lives in a pooled buffer rather than inline.</summary>
    public readonly bool HasOverflow => (Frame.Header.Flags & EnvelopeFlags.PayloadInOverflow) != 0;

    /// <summary>Reads the payload as a <typeparamref name="T"/> (MemoryPack wire format).</summary>
    /// <exception cref="FastSerializationException">The payload is not a valid <typeparamref name="T"/>.</exception>
    public T? ReadPayload<T>() => FastSerializer.Deserialize<T>(Payload);

    /// <summary>Returns the overflow buffer, if any, to the pool and empties the payload.</summary>
    public void ReleasePayload()
    {
        byte[]? overflow = _overflow;
        _overflow = null;
        Frame.Header.Flags &= ~EnvelopeFlags.PayloadInOverflow;
        Frame.Header.PayloadLength = 0;
        Frame.Header.Length = EnvelopeHeader.Size;
        if (overflow is not null)
        {
            ArrayPool<byte>.Shared.Return(overflow);
        }
    }

    /// <summary>The overflow buffer (the writer's view): null while the payload is inline.</summary>
    internal byte[]? Overflow
    {
        readonly get => _overflow;
        set => _overflow = value;
    }
}
