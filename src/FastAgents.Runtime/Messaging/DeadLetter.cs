using System.Runtime.InteropServices;
using FastAgents.Runtime.Envelopes;

namespace FastAgents.Runtime;

/// <summary>Why a message went to dead letters.</summary>
public enum DeadLetterReason : byte
{
    /// <summary>No agent has the target id, or no agent has the capability.</summary>
    NoSuchAgent = 0,

    /// <summary>The target had stopped (or was stopping) when the message arrived.</summary>
    AgentStopped = 1,

    /// <summary>The target has no handler for the payload's type.</summary>
    NoHandler = 2,

    /// <summary>The handler threw and the supervision policy gave the message up.</summary>
    HandlerFailed = 3,

    /// <summary>The inbox was full and the send's policy was to drop and count.</summary>
    InboxFull = 4,

    /// <summary>A reply came for an ask that had already timed out or completed.</summary>
    ReplyToExpiredAsk = 5,

    /// <summary>An ask got no reply within its timeout.</summary>
    AskTimedOut = 6,

    /// <summary>The runtime was shutting down, or its deadline passed before the message was handled.</summary>
    ShuttingDown = 7,

    /// <summary>The payload could not be read by the target.</summary>
    MalformedPayload = 8,

    /// <summary>The target lives in another process that disconnected, or the link to the other processes is down.</summary>
    Disconnected = 9,

    /// <summary>The envelope is larger than the largest frame the link to other processes carries.</summary>
    FrameTooLarge = 10,
}

/// <summary>
/// A message that could not be delivered: its header, a copy of its payload, the reason and, for handler
/// failures, the exception.
/// </summary>
public sealed class DeadLetter
{
    internal DeadLetter(DeadLetterReason reason, byte[] frame, Exception? exception)
    {
        Reason = reason;
        Frame = frame;
        Exception = exception;
        Time = DateTimeOffset.UtcNow;
    }

    /// <summary>Why it was not delivered.</summary>
    public DeadLetterReason Reason { get; }

    /// <summary>The exception behind <see cref="DeadLetterReason.HandlerFailed"/>, otherwise usually null.</summary>
    public Exception? Exception { get; }

    /// <summary>When it was dead-lettered.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The whole envelope as it would go on the wire.</summary>
    public ReadOnlyMemory<byte> Frame { get; }

    /// <summary>The envelope's header.</summary>
    public EnvelopeHeader Header => MemoryMarshal.Read<EnvelopeHeader>(Frame.Span);

    /// <summary>The payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload => Frame[Header.PayloadOffset..];

    /// <summary>What kind of message it was.</summary>
    public MessageKind Kind => Header.Kind;

    /// <summary>Its sender.</summary>
    public AgentId Sender => Header.Sender;

    /// <summary>Its target.</summary>
    public AgentId Target => Header.Target;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Reason}: {Kind} {MessageTypes.Describe(Header.PayloadType)} from {Sender} to {Target}" + (Exception is null ? "" : $" ({Exception.Message})");
}
