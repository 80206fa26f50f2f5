using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using FastAgents.Runtime;
using FastAgents.Runtime.Envelopes;

namespace FastAgents.Transport.Protocol;

/// <summary>
/// The wire protocol's frames (docs/PROTOCOL.md): constants, writers for control frames and checks for every
/// frame. All integers are little-endian.
/// </summary>
/// <remarks>
/// Every frame starts with the same 8 bytes; an envelope's 56-byte header begins with them, so an envelope is a
/// frame as it stands in a ring slot:
/// <code>
///  0               4       5       6       7       8
///  +---------------+-------+-------+-------+-------+-----------------------------+
///  | length (u32)  | ver=1 | kind  | prio  | flags | rest of the frame ...       |
///  +---------------+-------+-------+-------+-------+-----------------------------+
///  length counts the whole frame, these 8 bytes included. Control frames (kind >= 0x10) have 0 in bytes 6-7.
/// </code>
/// </remarks>
public static class Frames
{
    /// <summary>Bytes every frame starts with.</summary>
    public const int PrefixSize = 8;

    /// <summary>The protocol version this code speaks (the envelope header's version byte is the same number).</summary>
    public const byte Version = EnvelopeHeader.CurrentVersion;

    /// <summary>The hello's magic: the bytes "FAGT".</summary>
    public const uint Magic = 0x5447_4146;

    /// <summary>The default largest frame, 1 MiB.</summary>
    public const int DefaultMaxFrame = 1 << 20;

    /// <summary>The smallest maximum frame a peer may announce (an envelope header and a modest payload must fit).</summary>
    public const int MinMaxFrame = 4096;

    /// <summary>Longest client name in a hello, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 256;

    /// <summary>Longest token in a hello, in bytes.</summary>
    public const int MaxTokenBytes = 1024;

    /// <summary>Most capabilities one register frame carries.</summary>
    public const int MaxCapabilities = 1024;

    /// <summary>Size of a welcome frame.</summary>
    public const int WelcomeSize = 32;

    /// <summary>Size of a deregister frame.</summary>
    public const int DeregisterSize = 16;

    /// <summary>Size of a subscribe or unsubscribe frame.</summary>
    public const int SubscriptionSize = 24;

    /// <summary>Size of a heartbeat frame.</summary>
    public const int HeartbeatSize = 16;

    /// <summary>Size of an undeliverable frame: 16 bytes, then the envelope's 56-byte header.</summary>
    public const int UndeliverableSize = 16 + EnvelopeHeader.Size;

    /// <summary>Size of a close frame.</summary>
    public const int CloseSize = 16;

    /// <summary>
    /// The agent-type id of node agents (the upper 32 bits of their id): a node agent stands for a whole process,
    /// as the sender of its outside asks and the target of their replies.
    /// </summary>
    public const uint NodeTypeId = Runtime.Remote.RuntimeLink.NodeTypeId;

    /// <summary>Who reported an undeliverable envelope.</summary>
    public const byte FromRouter = 1;

    /// <summary>Who reported an undeliverable envelope.</summary>
    public const byte FromProcess = 2;

    /// <summary>
    /// Reads the 8-byte prefix at the start of <paramref name="buffer"/> and checks it: the length within
    /// [8, <paramref name="maxFrame"/>] (and at least an envelope header for an envelope), the version, a known
    /// kind, zero in bytes 6-7 of a control frame.
    /// </summary>
    /// <returns>False when fewer than 8 bytes are there; otherwise true, with the frame's length and kind.</returns>
    /// <exception cref="ProtocolException">The prefix is not a valid frame's.</exception>
    public static bool TryReadPrefix(in ReadOnlySequence<byte> buffer, int maxFrame, out int length, out FrameKind kind)
    {
        Span<byte> prefix = stackalloc byte[PrefixSize];
        if (buffer.Length < PrefixSize)
        {
            length = 0;
            kind = 0;
            return false;
        }

        if (buffer.FirstSpan.Length >= PrefixSize)
        {
            buffer.FirstSpan[..PrefixSize].CopyTo(prefix);
        }
        else
        {
            buffer.Slice(0, PrefixSize).CopyTo(prefix);
        }

        CheckPrefix(prefix, maxFrame, out length, out kind);
        return true;
    }

    /// <summary>Checks an 8-byte frame prefix; see <see cref="TryReadPrefix"/>.</summary>
    /// <exception cref="ProtocolException">The prefix is not a valid frame's.</exception>
    public static void CheckPrefix(ReadOnlySpan<byte> prefix, int maxFrame, out int length, out FrameKind kind)
    {
        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        byte version = prefix[4];
        kind = (FrameKind)prefix[5];
        if (version != Version)
        {
            throw new ProtocolException(ErrorCode.UnsupportedVersion, $"Frame version {version}; this side speaks version {Version}.");
        }

        if (declared > (uint)maxFrame)
        {
            throw new ProtocolException(ErrorCode.FrameTooLarge, $"A frame of {declared} bytes exceeds the maximum of {maxFrame}.");
        }

        length = (int)declared;
        if (IsEnvelope(kind))
        {
            if (length < EnvelopeHeader.Size)
            {
                throw new ProtocolException(ErrorCode.MalformedFrame, $"An envelope frame of {length} bytes is shorter than its {EnvelopeHeader.Size}-byte header.");
            }

            return;
        }

        if (!Enum.IsDefined(kind))
        {
            throw new ProtocolException(ErrorCode.UnknownKind, $"Frame kind 0x{(byte)kind:x2} is not part of the protocol.");
        }

        if (length < MinimumSize(kind))
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"A {kind} frame has at least {MinimumSize(kind)} bytes; this one says {length}.");
        }

        if (prefix[6] != 0 || prefix[7] != 0)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"Bytes 6-7 of a {kind} frame must be zero.");
        }
    }

    /// <summary>True for the five envelope kinds.</summary>
    public static bool IsEnvelope(FrameKind kind) => (byte)kind is >= 1 and <= 5;

    /// <summary>
    /// Checks a whole envelope frame beyond its prefix: its payload length agrees with its length, only the wire's
    /// flags are set (Traced, AnyOf), and it has a target unless it is a publish to a topic or a reply (a reply to an
    /// ask without a sender has nowhere to go: the router counts and drops it rather than fault its sender).
    /// </summary>
    /// <returns>The header.</returns>
    /// <exception cref="ProtocolException">The envelope is malformed (the message says how).</exception>
    public static EnvelopeHeader CheckEnvelope(ReadOnlySpan<byte> frame)
    {
        EnvelopeHeader header = MemoryMarshal.Read<EnvelopeHeader>(frame);
        CheckEnvelope(in header, frame.Length);
        return header;
    }

    /// <summary>Checks an envelope's header against the length of its frame; see <see cref="CheckEnvelope(ReadOnlySpan{byte})"/>.</summary>
    /// <exception cref="ProtocolException">The envelope is malformed (the message says how).</exception>
    public static void CheckEnvelope(in EnvelopeHeader header, int frameLength)
    {
        const EnvelopeFlags WireFlags = EnvelopeFlags.Traced | EnvelopeFlags.AnyOf;
        if ((header.Flags & ~WireFlags) != 0)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"Envelope flags 0x{(byte)header.Flags:x2} include bits that never travel on the wire.");
        }

        long expected = (long)header.PayloadOffset + header.PayloadLength;
        if (expected != frameLength)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame,
                $"The envelope has {frameLength} bytes; its header says {header.PayloadLength} of payload after {header.PayloadOffset}.");
        }

        if (header.Priority > (byte)Priority.Low)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"Envelope priority {header.Priority} is not 0, 1 or 2.");
        }

        if (header.Target.IsNone && header.Kind is not (MessageKind.Publish or MessageKind.Reply))
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"A {header.Kind} envelope needs a target.");
        }
    }

    /// <summary>The fewest bytes a control frame of <paramref name="kind"/> has.</summary>
    public static int MinimumSize(FrameKind kind) => kind switch
    {
        FrameKind.Hello => 36,
        FrameKind.Welcome => WelcomeSize,
        FrameKind.Register => 24,
        FrameKind.Deregister => DeregisterSize,
        FrameKind.Subscribe or FrameKind.Unsubscribe => SubscriptionSize,
        FrameKind.Heartbeat => HeartbeatSize,
        FrameKind.Undeliverable => UndeliverableSize,
        FrameKind.Gone => 16,
        FrameKind.Error => 12,
        FrameKind.Close => CloseSize,
        _ => EnvelopeHeader.Size,
    };

    // ---- writers -------------------------------------------------------------------------------------------------

    /// <summary>Writes the 8-byte prefix of a control frame.</summary>
    public static void WritePrefix(Span<byte> frame, int length, FrameKind kind)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)length);
        frame[4] = Version;
        frame[5] = (byte)kind;
        frame[6] = 0;
        frame[7] = 0;
    }

    /// <summary>A hello frame.</summary>
    /// <exception cref="ArgumentException">The name or token is too long.</exception>
    public static byte[] Hello(AgentId nodeAgent, int maxFrame, int heartbeatMs, string name, ReadOnlySpan<byte> token)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > MaxNameBytes)
        {
            throw new ArgumentException($"The client name has {nameBytes.Length} UTF-8 bytes; at most {MaxNameBytes} are allowed.", nameof(name));
        }

        if (token.Length > MaxTokenBytes)
        {
            throw new ArgumentException($"The token has {token.Length} bytes; at most {MaxTokenBytes} are allowed.", nameof(token));
        }

        var frame = new byte[36 + nameBytes.Length + token.Length];
        WritePrefix(frame, frame.Length, FrameKind.Hello);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(12), Version);
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(16), nodeAgent.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(24), (uint)maxFrame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(28), (uint)heartbeatMs);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(32), (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(34), (ushort)token.Length);
        nameBytes.CopyTo(frame, 36);
        token.CopyTo(frame.AsSpan(36 + nameBytes.Length));
        return frame;
    }

    /// <summary>Reads a hello frame (the prefix already checked).</summary>
    /// <exception cref="ProtocolException">Wrong magic or version, or lengths that disagree.</exception>
    public static HelloFrame ReadHello(ReadOnlySpan<byte> frame)
    {
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(frame[8..]);
        if (magic != Magic)
        {
            throw new ProtocolException(ErrorCode.BadMagic, $"The hello's magic is 0x{magic:x8}, not 0x{Magic:x8} (\"FAGT\").");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(frame[12..]);
        if (version != Version)
        {
            throw new ProtocolException(ErrorCode.UnsupportedVersion, $"The client speaks protocol version {version}; this router speaks {Version}.");
        }

        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(frame[32..]);
        int tokenLength = BinaryPrimitives.ReadUInt16LittleEndian(frame[34..]);
        if (nameLength > MaxNameBytes || tokenLength > MaxTokenBytes || 36 + nameLength + tokenLength != frame.Length)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame,
                $"The hello's name ({nameLength} bytes) and token ({tokenLength} bytes) do not fill its {frame.Length} bytes.");
        }

        var node = new AgentId(BinaryPrimitives.ReadUInt64LittleEndian(frame[16..]));
        if (node.TypeId != NodeTypeId || node.Key == 0)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"The hello's node agent {node.Value:x16} is not a node agent (type ffffffff, key not 0).");
        }

        string name;
        try
        {
            name = new UTF8Encoding(false, true).GetString(frame.Slice(36, nameLength));
        }
        catch (DecoderFallbackException ex)
        {
            throw new ProtocolException("The hello's client name is not valid UTF-8.", ex);
        }

        return new HelloFrame(
            node,
            (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(frame[24..]), int.MaxValue),
            (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(frame[28..]), int.MaxValue),
            name,
            frame.Slice(36 + nameLength, tokenLength).ToArray());
    }

    /// <summary>Writes a welcome frame into <paramref name="frame"/> (<see cref="WelcomeSize"/> bytes).</summary>
    public static void WriteWelcome(Span<byte> frame, int maxFrame, int heartbeatMs, int deadAfterMs, uint connectionId)
    {
        WritePrefix(frame, WelcomeSize, FrameKind.Welcome);
        BinaryPrimitives.WriteUInt16LittleEndian(frame[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(frame[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[12..], (uint)maxFrame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[16..], (uint)heartbeatMs);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[20..], (uint)deadAfterMs);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[24..], connectionId);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[28..], 0);
    }

    /// <summary>Reads a welcome frame.</summary>
    /// <exception cref="ProtocolException">Its size or version is wrong.</exception>
    public static WelcomeFrame ReadWelcome(ReadOnlySpan<byte> frame)
    {
        ExpectSize(frame, WelcomeSize, FrameKind.Welcome);
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(frame[8..]);
        if (version != Version)
        {
            throw new ProtocolException(ErrorCode.UnsupportedVersion, $"The router speaks protocol version {version}; this client speaks {Version}.");
        }

        return new WelcomeFrame(
            (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(frame[12..]), int.MaxValue),
            (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(frame[16..]), int.MaxValue),
            (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(frame[20..]), int.MaxValue),
            BinaryPrimitives.ReadUInt32LittleEndian(frame[24..]));
    }

    /// <summary>A register frame for <paramref name="agent"/> with <paramref name="capabilities"/> (ids).</summary>
    public static byte[] Register(AgentId agent, ReadOnlySpan<ulong> capabilities)
    {
        if (capabilities.Length > MaxCapabilities)
        {
            throw new ArgumentException($"An agent registers at most {MaxCapabilities} capabilities.", nameof(capabilities));
        }

        var frame = new byte[24 + (8 * capabilities.Length)];
        WritePrefix(frame, frame.Length, FrameKind.Register);
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(8), agent.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(16), (uint)capabilities.Length);
        for (int i = 0; i < capabilities.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(24 + (8 * i)), capabilities[i]);
        }

        return frame;
    }

    /// <summary>Reads a register frame: the agent and its capability ids.</summary>
    /// <exception cref="ProtocolException">The count disagrees with the length, or the agent id is unusable.</exception>
    public static AgentId ReadRegister(ReadOnlySpan<byte> frame, out ulong[] capabilities)
    {
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(frame[16..]);
        if (count > MaxCapabilities || 24 + (8L * count) != frame.Length)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"A register frame of {frame.Length} bytes cannot hold {count} capabilities.");
        }

        AgentId agent = ReadAgent(frame, 8, FrameKind.Register);
        capabilities = new ulong[count];
        for (int i = 0; i < capabilities.Length; i++)
        {
            capabilities[i] = BinaryPrimitives.ReadUInt64LittleEndian(frame[(24 + (8 * i))..]);
        }

        return agent;
    }

    /// <summary>A deregister frame.</summary>
    public static byte[] Deregister(AgentId agent)
    {
        var frame = new byte[DeregisterSize];
        WritePrefix(frame, DeregisterSize, FrameKind.Deregister);
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(8), agent.Value);
        return frame;
    }

    /// <summary>Reads a deregister frame.</summary>
    public static AgentId ReadDeregister(ReadOnlySpan<byte> frame)
    {
        ExpectSize(frame, DeregisterSize, FrameKind.Deregister);
        return ReadAgent(frame, 8, FrameKind.Deregister);
    }

    /// <summary>A subscribe (or, with <paramref name="kind"/> Unsubscribe, unsubscribe) frame.</summary>
    public static byte[] Subscription(FrameKind kind, ulong topic, AgentId agent)
    {
        var frame = new byte[SubscriptionSize];
        WritePrefix(frame, SubscriptionSize, kind);
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(8), topic);
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(16), agent.Value);
        return frame;
    }

    /// <summary>Reads a subscribe or unsubscribe frame.</summary>
    public static (ulong Topic, AgentId Agent) ReadSubscription(ReadOnlySpan<byte> frame, FrameKind kind)
    {
        ExpectSize(frame, SubscriptionSize, kind);
        return (BinaryPrimitives.ReadUInt64LittleEndian(frame[8..]), ReadAgent(frame, 16, kind));
    }

    /// <summary>Writes a heartbeat frame (<see cref="HeartbeatSize"/> bytes) carrying the sender's backlog.</summary>
    public static void WriteHeartbeat(Span<byte> frame, long backlog)
    {
        WritePrefix(frame, HeartbeatSize, FrameKind.Heartbeat);
        BinaryPrimitives.WriteInt64LittleEndian(frame[8..], Math.Max(0, backlog));
    }

    /// <summary>Reads a heartbeat frame's backlog.</summary>
    public static long ReadHeartbeat(ReadOnlySpan<byte> frame)
    {
        ExpectSize(frame, HeartbeatSize, FrameKind.Heartbeat);
        return Math.Max(0, BinaryPrimitives.ReadInt64LittleEndian(frame[8..]));
    }

    /// <summary>Writes an undeliverable frame (<see cref="UndeliverableSize"/> bytes): who reports it, why, and the envelope's header.</summary>
    public static void WriteUndeliverable(Span<byte> frame, DeadLetterReason reason, byte reporter, ReadOnlySpan<byte> envelopeHeader)
    {
        WritePrefix(frame, UndeliverableSize, FrameKind.Undeliverable);
        frame[8] = (byte)reason;
        frame[9] = reporter;
        frame[10..16].Clear();
        envelopeHeader[..EnvelopeHeader.Size].CopyTo(frame[16..]);
        ref EnvelopeHeader copy = ref MemoryMarshal.AsRef<EnvelopeHeader>(frame[16..]);
        copy.Flags &= EnvelopeFlags.Traced | EnvelopeFlags.AnyOf;
    }

    /// <summary>Reads an undeliverable frame: the reason, who reported it, and the envelope's header.</summary>
    /// <exception cref="ProtocolException">Its size or reason is wrong.</exception>
    public static DeadLetterReason ReadUndeliverable(ReadOnlySpan<byte> frame, out byte reporter, out EnvelopeHeader header)
    {
        ExpectSize(frame, UndeliverableSize, FrameKind.Undeliverable);
        var reason = (DeadLetterReason)frame[8];
        if (!Enum.IsDefined(reason))
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"Undeliverable reason {frame[8]} is unknown.");
        }

        reporter = frame[9];
        header = MemoryMarshal.Read<EnvelopeHeader>(frame[16..]);
        return reason;
    }

    /// <summary>A gone frame listing <paramref name="agents"/>.</summary>
    public static byte[] Gone(IReadOnlyList<AgentId> agents)
    {
        var frame = new byte[16 + (8 * agents.Count)];
        WritePrefix(frame, frame.Length, FrameKind.Gone);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), (uint)agents.Count);
        for (int i = 0; i < agents.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(16 + (8 * i)), agents[i].Value);
        }

        return frame;
    }

    /// <summary>Reads a gone frame's agent ids.</summary>
    public static ulong[] ReadGone(ReadOnlySpan<byte> frame)
    {
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(frame[8..]);
        if (16 + (8L * count) != frame.Length)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"A gone frame of {frame.Length} bytes cannot hold {count} agents.");
        }

        var ids = new ulong[count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = BinaryPrimitives.ReadUInt64LittleEndian(frame[(16 + (8 * i))..]);
        }

        return ids;
    }

    /// <summary>An error frame (the text cut to 1024 UTF-8 bytes).</summary>
    public static byte[] Error(ErrorCode code, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        int length = Math.Min(bytes.Length, 1024);
        var frame = new byte[12 + length];
        WritePrefix(frame, frame.Length, FrameKind.Error);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(8), (ushort)code);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(10), (ushort)length);
        bytes.AsSpan(0, length).CopyTo(frame.AsSpan(12));
        return frame;
    }

    /// <summary>Reads an error frame.</summary>
    public static (ErrorCode Code, string Text) ReadError(ReadOnlySpan<byte> frame)
    {
        int length = BinaryPrimitives.ReadUInt16LittleEndian(frame[10..]);
        if (12 + length != frame.Length)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"An error frame of {frame.Length} bytes cannot hold {length} bytes of text.");
        }

        return ((ErrorCode)BinaryPrimitives.ReadUInt16LittleEndian(frame[8..]), Encoding.UTF8.GetString(frame.Slice(12, length)));
    }

    /// <summary>A close frame.</summary>
    public static byte[] Close(ErrorCode code)
    {
        var frame = new byte[CloseSize];
        WritePrefix(frame, CloseSize, FrameKind.Close);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(8), (ushort)code);
        return frame;
    }

    private static void ExpectSize(ReadOnlySpan<byte> frame, int size, FrameKind kind)
    {
        if (frame.Length != size)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"A {kind} frame has {size} bytes; this one has {frame.Length}.");
        }
    }

    private static AgentId ReadAgent(ReadOnlySpan<byte> frame, int offset, FrameKind kind)
    {
        var agent = new AgentId(BinaryPrimitives.ReadUInt64LittleEndian(frame[offset..]));
        if (agent.IsNone || agent.TypeId == NodeTypeId)
        {
            throw new ProtocolException(ErrorCode.MalformedFrame, $"A {kind} frame names agent {agent.Value:x16}, which no agent can have.");
        }

        return agent;
    }
}
