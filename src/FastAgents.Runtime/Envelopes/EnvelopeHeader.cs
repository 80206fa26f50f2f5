using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastAgents.Runtime.Envelopes;

/// <summary>
/// The fixed 96-byte header of every envelope: in a ring slot, and byte for byte on the wire, where it is
/// followed by <see cref="PayloadLength"/> bytes of payload (MemoryPack wire format). All fields are
/// little-endian; reserved bytes are zero.
/// </summary>
/// <remarks>
/// <code>
///  0               4       5       6       7       8
///  +---------------+-------+-------+-------+-------+
///  | Length (u32)  |Version| Kind  |Priorty| Flags |   Length = 96 + PayloadLength (the whole frame)
///  +---------------+-------+-------+-------+-------+
///  8 | MessageId (u64)                             |   unique per sender process
/// 16 | CorrelationId (u64)                         |   Ask: the ask's id; Reply: the id it answers
/// 24 | Sender (u64 AgentId)                        |   0 = sent from outside any agent
/// 32 | Target (u64 AgentId, or topic id)           |   Publish: the topic id
///  +---------------+-------------------------------+
/// 40 | PayloadType   | PayloadLength (u32)           |   type id of the payload; its length in bytes
///  +---------------+-------------------------------+
/// 48 | Timestamp (i64, Unix time in nanoseconds)   |   when the sender created the envelope
/// 56 | TraceId (16 bytes, W3C)                     |
/// 72 | SpanId (8 bytes, W3C)                       |
/// 80 |TrFlags| reserved (15 bytes, zero)          |   W3C trace flags
///  +-------+-------------------------------------+
/// 96   payload ...
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct EnvelopeHeader
{
    /// <summary>Bytes in the header.</summary>
    public const int Size = 96;

    /// <summary>The layout version this type reads and writes.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>Header plus payload length: the size of the whole envelope on the wire.</summary>
    [FieldOffset(0)]
    public uint Length;

    /// <summary>Layout version (<see cref="CurrentVersion"/>).</summary>
    [FieldOffset(4)]
    public byte Version;

    /// <summary>What the envelope asks of its target.</summary>
    [FieldOffset(5)]
    public MessageKind Kind;

    /// <summary>Inbox lane: 0 is the most urgent.</summary>
    [FieldOffset(6)]
    public byte Priority;

    /// <summary>Bits that describe the envelope (<see cref="EnvelopeFlags"/>).</summary>
    [FieldOffset(7)]
    public EnvelopeFlags Flags;

    /// <summary>Unique per sending process.</summary>
    [FieldOffset(8)]
    public ulong MessageId;

    /// <summary>For an ask, its id; for a reply, the id of the ask it answers; otherwise 0.</summary>
    [FieldOffset(16)]
    public ulong CorrelationId;

    /// <summary>The sending agent, or <see cref="AgentId.None"/>.</summary>
    [FieldOffset(24)]
    public AgentId Sender;

    /// <summary>The receiving agent; for <see cref="MessageKind.Publish"/>, the topic id in <see cref="AgentId.Value"/>.</summary>
    [FieldOffset(32)]
    public AgentId Target;

    /// <summary>Identifies the payload's .NET type to the receiver.</summary>
    [FieldOffset(40)]
    public uint PayloadType;

    /// <summary>Bytes of payload that follow the header.</summary>
    [FieldOffset(44)]
    public uint PayloadLength;

    /// <summary>When the sender created the envelope, in nanoseconds since the Unix epoch (UTC).</summary>
    [FieldOffset(48)]
    public long Timestamp;

    [FieldOffset(56)]
    private TraceIdBytes _traceId;

    [FieldOffset(72)]
    private ulong _spanId;

    [FieldOffset(80)]
    private byte _traceFlags;

    /// <summary>The W3C trace context carried by the envelope (default when none).</summary>
    public ActivityContext TraceContext
    {
        readonly get
        {
            if (_spanId == 0)
            {
                return default;
            }

            ReadOnlySpan<byte> trace = _traceId;
            ulong span = _spanId;
            return new ActivityContext(
                ActivityTraceId.CreateFromBytes(trace),
                ActivitySpanId.CreateFromBytes(MemoryMarshal.AsBytes(new ReadOnlySpan<ulong>(in span))),
                (ActivityTraceFlags)_traceFlags,
                isRemote: true);
        }

        set
        {
            if (value == default)
            {
                _traceId = default;
                _spanId = 0;
                _traceFlags = 0;
                return;
            }

            value.TraceId.CopyTo(_traceId);
            ulong span = 0;
            value.SpanId.CopyTo(MemoryMarshal.AsBytes(new Span<ulong>(ref span)));
            _spanId = span;
            _traceFlags = (byte)value.TraceFlags;
        }
    }

    /// <summary>The header as the 96 bytes that go on the wire.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> AsBytes() => MemoryMarshal.AsBytes(new ReadOnlySpan<EnvelopeHeader>(in this));

    [InlineArray(16)]
    private struct TraceIdBytes
    {
        private byte _element0;
    }
}
