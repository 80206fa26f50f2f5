using System.Buffers.Binary;
using System.Text;
using FastAgents.Runtime;
using FastAgents.Runtime.Envelopes;
using FastAgents.Transport.Protocol;

namespace FastAgents.Transport.Tests;

/// <summary>
/// Makes the byte streams of fuzz connections from a seed: valid frames of every kind a client sends (hello,
/// register, subscriptions, heartbeats, envelopes, notices), some mutated (bytes set or flipped, truncated,
/// lengths, kinds and versions changed, bytes appended), and some purely random. The same seed makes the same streams.
/// </summary>
public sealed class FrameFuzzer(int seed)
{
    /// <summary>Agents of this type are the fuzzers' own; no well-behaved runtime uses it.</summary>
    public static readonly AgentType FuzzType = AgentType.Register("transport-tests/fuzz");

    /// <summary>The topics fuzz agents subscribe to (none of a well-behaved runtime's).</summary>
    public static readonly ulong[] Topics = [.. Enumerable.Range(0, 4).Select(i => new Topic($"transport-tests/fuzz-topic-{i}").Id)];

    /// <summary>The capabilities fuzz agents register (none of a well-behaved runtime's).</summary>
    public static readonly ulong[] Capabilities = [.. Enumerable.Range(0, 4).Select(i => new Capability($"transport-tests/fuzz-cap-{i}").Id)];

    // Per connection, the chance that a frame is broken (mutated, noise, or a kind a client must not send): from
    // long valid streams that churn the routing table to streams that break at once.
    private static readonly double[] s_hazards = [0, 0.002, 0.01, 0.03, 0.1, 0.5];

    private readonly Random _random = new(seed);

    /// <summary>The frames one connection writes, in order (their bytes are written back to back).</summary>
    public List<byte[]> NextConnection()
    {
        double hazard = s_hazards[_random.Next(s_hazards.Length)];
        int count = _random.Next(1, 80);
        var frames = new List<byte[]>(count + 1);
        int style = _random.Next(100);
        if (style < 4)
        {
            // Nothing but noise.
            for (int i = 0; i < count; i++)
            {
                frames.Add(RandomBlob());
            }

            return frames;
        }

        if (style < 10)
        {
            frames.Add(Mutate(Hello()));
        }
        else if (style < 14)
        {
            frames.Add(Broken()); // no hello at all
        }
        else
        {
            frames.Add(Hello());
        }

        for (int i = 0; i < count; i++)
        {
            frames.Add(_random.NextDouble() < hazard ? Broken() : ValidFrame());
        }

        return frames;
    }

    private byte[] Broken() => _random.Next(10) switch
    {
        0 => RandomBlob(),
        1 => Forbidden(),
        _ => Mutate(ValidFrame()),
    };

    // Frames a client must not send after its hello, or sends only to leave.
    private byte[] Forbidden() => _random.Next(5) switch
    {
        0 => Frames.Close(ErrorCode.None),
        1 => Frames.Error((ErrorCode)_random.Next(14), "fuzz"),
        2 => Hello(),
        3 => Frames.Gone([Agent()]),
        _ => Welcome(),
    };

    private byte[] Hello()
    {
        var node = new AgentId(((ulong)Frames.NodeTypeId << 32) | (uint)_random.Next(1, int.MaxValue));
        byte[] name = new byte[_random.Next(0, 24)];
        for (int i = 0; i < name.Length; i++)
        {
            name[i] = (byte)_random.Next('a', 'z' + 1);
        }

        return Frames.Hello(node, _random.Next(Frames.MinMaxFrame, 2 << 20), _random.Next(1, 5000), Encoding.ASCII.GetString(name), []);
    }

    private AgentId Agent() => new(FuzzType, (uint)_random.Next(16));

    private ulong Pick(ulong[] ids) => ids[_random.Next(ids.Length)];

    private byte[] ValidFrame()
    {
        switch (_random.Next(13))
        {
            case 0:
            case 1:
                ulong[] capabilities = [.. Enumerable.Range(0, _random.Next(4)).Select(_ => Pick(Capabilities))];
                return Frames.Register(Agent(), capabilities);
            case 2:
                return Frames.Deregister(Agent());
            case 3:
                return Frames.Subscription(FrameKind.Subscribe, Pick(Topics), Agent());
            case 4:
                return Frames.Subscription(FrameKind.Unsubscribe, Pick(Topics), Agent());
            case 5:
                byte[] heartbeat = new byte[Frames.HeartbeatSize];
                Frames.WriteHeartbeat(heartbeat, _random.NextInt64(-1, long.MaxValue));
                return heartbeat;
            case 6:
                byte[] notice = new byte[Frames.UndeliverableSize];
                byte[] original = Envelope();
                var reasons = Enum.GetValues<DeadLetterReason>();
                Frames.WriteUndeliverable(notice, reasons[_random.Next(reasons.Length)], (byte)_random.Next(1, 3), original);
                return notice;
            default:
                return Envelope();
        }
    }

    private byte[] Welcome()
    {
        byte[] welcome = new byte[Frames.WelcomeSize];
        Frames.WriteWelcome(welcome, Frames.DefaultMaxFrame, 1000, 5000, 1);
        return welcome;
    }

    private byte[] Envelope()
    {
        var kind = (MessageKind)_random.Next(1, 6);
        EnvelopeFlags flags = _random.Next(5) == 0 ? EnvelopeFlags.Traced : EnvelopeFlags.None;
        AgentId target;
        ulong correlation = (ulong)_random.NextInt64();
        switch (_random.Next(4))
        {
            case 0:
                target = Agent(); // one of the fuzzers' agents, maybe registered by this very connection
                break;
            case 1:
                target = new AgentId(FuzzType, (uint)_random.Next(1000, 2000)); // nobody
                break;
            case 2:
                target = new AgentId(Pick(Capabilities));
                flags |= EnvelopeFlags.AnyOf;
                break;
            default:
                kind = MessageKind.Publish;
                target = AgentId.None;
                correlation = Pick(Topics);
                break;
        }

        byte[] payload = new byte[_random.Next(10) == 0 ? _random.Next(0, 3000) : _random.Next(0, 64)];
        _random.NextBytes(payload);
        AgentId sender = _random.Next(3) == 0 ? AgentId.None : Agent();
        return WireFrames.Envelope(kind, target, payload, (uint)_random.Next(), correlation, sender, flags, (byte)_random.Next(3), (ulong)_random.NextInt64());
    }

    private byte[] RandomBlob()
    {
        byte[] blob = new byte[_random.Next(10) == 0 ? _random.Next(1, 5000) : _random.Next(1, 128)];
        _random.NextBytes(blob);
        return blob;
    }

    private byte[] Mutate(byte[] frame)
    {
        byte[] copy = [.. frame];
        int operation = _random.Next(11);
        if (copy.Length < Frames.PrefixSize && operation is >= 3 and <= 7)
        {
            operation = 0; // no prefix fields to change in a scrap of noise
        }

        switch (operation)
        {
            case 0:
                for (int i = _random.Next(1, 5); i > 0; i--)
                {
                    copy[_random.Next(copy.Length)] = (byte)_random.Next(256);
                }

                return copy;
            case 1:
                copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
                return copy;
            case 2:
                return copy[.._random.Next(copy.Length)]; // truncated: what follows is read as the rest of it
            case 3:
                BinaryPrimitives.WriteUInt32LittleEndian(copy, (uint)_random.NextInt64(0, 1L << 32));
                return copy;
            case 4:
                BinaryPrimitives.WriteUInt32LittleEndian(copy, (uint)Math.Max(0, copy.Length + _random.Next(-9, 10)));
                return copy;
            case 5:
                copy[5] = (byte)_random.Next(256);
                return copy;
            case 6:
                copy[4] = (byte)_random.Next(256);
                return copy;
            case 7:
                copy[6] = (byte)_random.Next(256);
                copy[7] = (byte)_random.Next(256);
                return copy;
            case 8:
                byte[] extra = new byte[_random.Next(1, 64)];
                _random.NextBytes(extra);
                byte[] longer = [.. copy, .. extra];
                if (_random.Next(2) == 0)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(longer, (uint)longer.Length);
                }

                return longer;
            case 9:
                // The fields after the prefix: counts, lengths, ids (an envelope's payload length, flags, priority).
                if (copy.Length >= EnvelopeHeader.Size && Frames.IsEnvelope((FrameKind)copy[5]))
                {
                    switch (_random.Next(3))
                    {
                        case 0:
                            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(44), (uint)_random.Next(0, 128));
                            break;
                        case 1:
                            copy[7] = (byte)_random.Next(256);
                            break;
                        default:
                            copy[6] = (byte)_random.Next(256);
                            break;
                    }
                }
                else if (copy.Length >= 16)
                {
                    _random.NextBytes(copy.AsSpan(8, Math.Min(8, copy.Length - 8)));
                }

                return copy;
            default:
                return RandomBlob();
        }
    }
}
