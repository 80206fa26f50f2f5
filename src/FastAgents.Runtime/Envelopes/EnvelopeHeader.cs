using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace FastAgents.Runtime.Envelopes;

/// <summary>
/// The fixed 56-byte header of every envelope: in a ring slot, and byte for byte on the wire. It is followed by
/// a 32-byte <see cref="TraceSection"/> when <see cref="EnvelopeFlags.Traced"/> is set, then by
/// <see cref="PayloadLength"/> bytes of payload in MemoryPack's wire format. All fields are little-endian.
/// </summary>
/// <remarks>
/// <code>
///     0               4       5       6       7       8
///     +---------------+-------+-------+-------+-------+
///   0 | Length (u32)  |Version| Kind  |Priorty| Flags |  Length: the whole frame (header, trace, payload)
///     +---------------+-------+-------+-------+-------+
///   8 | MessageId (u64)                               |  unique per sending runtime
///  16 | CorrelationId (u64)                           |  Ask/Reply: the ask's id; Publish: the topic id
///  24 | Sender (u64 AgentId)                          |  0 = sent from outside any agent
///  32 | Target (u64 AgentId)                          |  Publish: the subscriber (0 on the way to a router)
///     +---------------+-------------------------------+
///  40 | PayloadType   | PayloadLength (u32)           |  the payload's type id and its length in bytes
///     +---------------+-------------------------------+
///  48 | Timestamp (i64)                               |  Unix time in ns when stamped, else 0
///     +-----------------------------------------------+
///  56 | TraceSection (32 bytes), only when Traced     |  W3C trace id, span id, flags
///     +-----------------------------------------------+
///  56 or 88: payload (PayloadLength bytes)
/// </code>
/// A small message (an 8-byte payload) fits in one 64-byte cache line: the fields a worker reads to dispatch
/// sit in that line, and the trace section is written and read only when present.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct EnvelopeHeader
{
    /// <summary>Bytes in the header.</summary>
    public const int Size = 56;

    /// <summary>The layout version this type reads and writes.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>The whole frame: header, trace section when present, and payload.</summary>
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

    /// <summary>Unique per sending runtime: the sending worker and its count, or for a send from outside the workers, the lane and slot.</summary>
    [FieldOffset(8)]
    public ulong MessageId;

    /// <summary>
    /// For an ask and its reply, the ask's id; for a publish, the topic id (<see cref="Topic.Id"/>); otherwise 0.
    /// </summary>
    [FieldOffset(16)]
    public ulong CorrelationId;

    /// <summary>The sending agent, or <see cref="AgentId.None"/>.</summary>
    [FieldOffset(24)]
    public AgentId Sender;

    /// <summary>The receiving agent; for a publish, the subscriber it is delivered to.</summary>
    [FieldOffset(32)]
    public AgentId Target;

    /// <summary>Identifies the payload's .NET type to the receiver (<see cref="MessageType{T}.Id"/>).</summary>
    [FieldOffset(40)]
    public uint PayloadType;

    /// <summary>Bytes of payload.</summary>
    [FieldOffset(44)]
    public uint PayloadLength;

    /// <summary>When the sender created the envelope, in nanoseconds since the Unix epoch (UTC); 0 when not stamped.</summary>
    [FieldOffset(48)]
    public long Timestamp;

    /// <summary>True when a <see cref="TraceSection"/> follows the header.</summary>
    public readonly bool IsTraced => (Flags & EnvelopeFlags.Traced) != 0;

    /// <summary>Where the payload starts, counted from the start of the header.</summary>
    public readonly int PayloadOffset => IsTraced ? Size + TraceSection.Size : Size;

    /// <summary>The header as the 56 bytes that go on the wire.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> AsBytes() => MemoryMarshal.AsBytes(new ReadOnlySpan<EnvelopeHeader>(in this));
}
