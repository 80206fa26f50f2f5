using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using FastAgents.Runtime;
using FastAgents.Runtime.Envelopes;
using FastAgents.Transport.Protocol;

namespace FastAgents.Transport.Tests;

/// <summary>Builds frames byte by byte, as a client in another language would, for tests that write raw sockets.</summary>
public static class WireFrames
{
    private static int s_nextNode = 0x7000_0000;

    /// <summary>A node agent no runtime of this process uses.</summary>
    public static AgentId NewNode() => new(((ulong)Frames.NodeTypeId << 32) | (uint)Interlocked.Increment(ref s_nextNode));

    public static byte[] Hello(string? token = null, AgentId? node = null) =>
        Frames.Hello(node ?? NewNode(), Frames.DefaultMaxFrame, 1000, "raw-test", Encoding.UTF8.GetBytes(token ?? string.Empty));

    /// <summary>An envelope frame: the 56-byte header, an optional 32-byte trace section, then the payload.</summary>
    public static byte[] Envelope(
        MessageKind kind,
        AgentId target,
        ReadOnlySpan<byte> payload,
        uint payloadType,
        ulong correlation = 0,
        AgentId sender = default,
        EnvelopeFlags flags = EnvelopeFlags.None,
        byte priority = 1,
        ulong messageId = 1)
    {
        int offset = (flags & EnvelopeFlags.Traced) != 0 ? EnvelopeHeader.Size + TraceSection.Size : EnvelopeHeader.Size;
        var frame = new byte[offset + payload.Length];
        var header = new EnvelopeHeader
        {
            Length = (uint)frame.Length,
            Version = EnvelopeHeader.CurrentVersion,
            Kind = kind,
            Priority = priority,
            Flags = flags,
            MessageId = messageId,
            CorrelationId = correlation,
            Sender = sender,
            Target = target,
            PayloadType = payloadType,
            PayloadLength = (uint)payload.Length,
        };
        MemoryMarshal.Write(frame, in header);
        payload.CopyTo(frame.AsSpan(offset));
        return frame;
    }

    /// <summary>A tell of <see cref="Numbered"/> to <paramref name="target"/>, exactly as a runtime would send it.</summary>
    public static byte[] Numbered(AgentId target, long sequence)
    {
        Span<byte> payload = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(payload, sequence);
        return Envelope(MessageKind.Tell, target, payload, MessageType<Numbered>.Id);
    }

    /// <summary>A frame of <paramref name="length"/> bytes (at least 8) with the given prefix fields and zero after them.</summary>
    public static byte[] Prefixed(int length, byte kind, byte version = Frames.Version)
    {
        var frame = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)length);
        frame[4] = version;
        frame[5] = kind;
        return frame;
    }
}
