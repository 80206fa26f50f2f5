using System.Runtime.InteropServices;
using FastAgents.Runtime.Envelopes;
using Xunit;

namespace FastAgents.Runtime.Tests;

/// <summary>
/// Frames that arrive whole (a retry, or later a transport) are checked before they enter a lane, and a payload
/// the handler's type cannot read is dead-lettered as malformed without blaming the agent.
/// </summary>
public sealed class MalformedFrameTests
{
    private static readonly AgentType s_type = AgentType.Register("malformed");

    [Fact]
    public async Task DeliverFrame_RawMessageWithTheWrongLength_DeadLettersMalformedAndTheAgentGoesOn()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_type, 1, () => new RecorderAgent(probe));

        byte[] frame = Frame(id, MessageType<Num>.Id, [1, 2, 3]); // a Num is 4 bytes
        Assert.Equal(SendStatus.Sent, runtime.DeliverFrame(frame));
        runtime.Tell(id, new Num(7));

        Eventually.True(() => probe.Log.Count == 1, "the valid message after the malformed one");
        Assert.Equal(7, probe.Log.Single().Value);
        Eventually.True(() => runtime.DeadLetters.CountOf(DeadLetterReason.MalformedPayload) == 1, "a malformed dead letter");
        DeadLetter letter = runtime.DeadLetters.Recent().Single(d => d.Reason == DeadLetterReason.MalformedPayload);
        Assert.Equal(new byte[] { 1, 2, 3 }, letter.Payload.ToArray());
        Assert.Contains("4 bytes", letter.Exception!.Message, StringComparison.Ordinal);
        Assert.Equal(0, runtime.GetInfo(id)!.Faults);
    }

    [Fact]
    public async Task DeliverFrame_ClassMessageWithGarbage_DeadLettersMalformed()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_type, 2, () => new RecorderAgent(probe));

        // A Note is an object header then its members; 0x7F is not a valid member count.
        byte[] frame = Frame(id, MessageType<Note>.Id, [0x7F, 0xFF, 0xFF, 0xFF, 0xFF]);
        Assert.Equal(SendStatus.Sent, runtime.DeliverFrame(frame));

        Eventually.True(() => runtime.DeadLetters.CountOf(DeadLetterReason.MalformedPayload) == 1, "a malformed dead letter");
        Assert.Empty(probe.Notes);
        Assert.Equal(AgentStatus.Idle, runtime.GetInfo(id)!.Status);
    }

    [Fact]
    public async Task DeliverFrame_InconsistentLengthsOrUnknownKind_IsRefusedWithTheReason()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_type, 3, () => new RecorderAgent(probe));

        byte[] truncated = Frame(id, MessageType<Num>.Id, [1, 2, 3, 4]);
        ArgumentException shortFrame = Assert.Throws<ArgumentException>(() => runtime.DeliverFrame(truncated.AsSpan(0, truncated.Length - 1)));
        Assert.Contains("header says", shortFrame.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => runtime.DeliverFrame(new byte[10]));

        byte[] badKind = Frame(id, MessageType<Num>.Id, [1, 2, 3, 4]);
        badKind[5] = 99;
        Assert.Contains("kind 99", Assert.Throws<ArgumentException>(() => runtime.DeliverFrame(badKind)).Message, StringComparison.Ordinal);

        byte[] badVersion = Frame(id, MessageType<Num>.Id, [1, 2, 3, 4]);
        badVersion[4] = 9;
        Assert.Throws<ArgumentException>(() => runtime.DeliverFrame(badVersion));

        // Nothing reached the agent, and a good frame still does.
        Assert.Equal(SendStatus.Sent, runtime.DeliverFrame(Frame(id, MessageType<Num>.Id, BitConverter.GetBytes(42))));
        Eventually.True(() => probe.Log.Count == 1, "the good frame");
        Assert.Equal(42, probe.Log.Single().Value);
    }

    [Fact]
    public async Task DeliverFrame_UnknownTarget_DeadLettersNoSuchAgent()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        Assert.Equal(SendStatus.NoSuchAgent, runtime.DeliverFrame(Frame(s_type[99], MessageType<Num>.Id, [1, 2, 3, 4])));
        Assert.Equal(1, runtime.DeadLetters.CountOf(DeadLetterReason.NoSuchAgent));
    }

    private static byte[] Frame(AgentId target, uint payloadType, byte[] payload)
    {
        var header = new EnvelopeHeader
        {
            Length = (uint)(EnvelopeHeader.Size + payload.Length),
            Version = EnvelopeHeader.CurrentVersion,
            Kind = MessageKind.Tell,
            Priority = (byte)Priority.Normal,
            MessageId = 1,
            Target = target,
            PayloadType = payloadType,
            PayloadLength = (uint)payload.Length,
        };
        var frame = new byte[EnvelopeHeader.Size + payload.Length];
        MemoryMarshal.Write(frame, in header);
        payload.CopyTo(frame, EnvelopeHeader.Size);
        return frame;
    }
}
