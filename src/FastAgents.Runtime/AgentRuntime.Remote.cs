using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Internal;
using FastAgents.Runtime.Remote;

namespace FastAgents.Runtime;

// The runtime's side of other processes: sends to agents that are not here go into the link's outbound ring, and
// frames that arrive through the link are delivered like sends from outside, marked Remote.
public sealed partial class AgentRuntime
{
    private RuntimeLink? _link;

    /// <summary>The link to other processes, or null when this runtime is on its own.</summary>
    internal RuntimeLink? Link => Volatile.Read(ref _link);

    /// <summary>
    /// Joins this runtime to other processes through <paramref name="link"/>: from now on, sends to agents that are
    /// not local go into its outbound ring instead of dead letters, and local agents' arrivals, departures and
    /// subscriptions are reported to it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The runtime already has a link.</exception>
    internal void AttachLink(RuntimeLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (Interlocked.CompareExchange(ref _link, link, null) is not null)
        {
            throw new InvalidOperationException("The runtime already has a link to other processes; it takes one.");
        }

        DeadLetters.Link = link;
    }

    /// <summary>Ends the link: asks that went through it fail with reason Disconnected.</summary>
    internal void DetachLink(RuntimeLink link)
    {
        if (Interlocked.CompareExchange(ref _link, null, link) == link)
        {
            DeadLetters.Link = null;
            FailLinkAsks(link);
        }
    }

    /// <summary>The running local agents and their capabilities (for registering them with the far side).</summary>
    internal List<(AgentId Id, IReadOnlyList<Capability> Capabilities)> LocalAgents()
    {
        var list = new List<(AgentId, IReadOnlyList<Capability>)>(_agents.Count);
        foreach (AgentCell cell in _agents.Values)
        {
            if (Volatile.Read(ref cell.State) == AgentCell.Running)
            {
                list.Add((cell.Id, cell.Options.Capabilities));
            }
        }

        return list;
    }

    /// <summary>Every local subscription as (topic id, agent).</summary>
    internal List<(ulong Topic, AgentId Agent)> LocalSubscriptions()
    {
        var list = new List<(ulong, AgentId)>();
        foreach (KeyValuePair<ulong, CellGroup> topic in _topics)
        {
            foreach (AgentCell cell in topic.Value.Members)
            {
                list.Add((topic.Key, cell.Id));
            }
        }

        return list;
    }

    /// <summary>Fails every ask that went through <paramref name="link"/>; returns how many.</summary>
    internal int FailLinkAsks(RuntimeLink link) =>
        _asks.FailAll(link, static id => new UndeliverableException(id, DeadLetterReason.Disconnected));

    /// <summary>Fails the asks through <paramref name="link"/> to agents that <paramref name="gone"/> names (their process left).</summary>
    internal int FailRemoteAsks(RuntimeLink link, Func<AgentId, bool> gone) =>
        _asks.FailWhere(link, gone, static id => new UndeliverableException(id, DeadLetterReason.Disconnected));

    /// <summary>
    /// The far side could not deliver an envelope this process sent (<paramref name="frame"/> is its header, with
    /// or without payload): an ask fails at once; anything else is dead-lettered here, with the far side's reason.
    /// </summary>
    internal void OnUndeliverable(ReadOnlySpan<byte> frame, DeadLetterReason reason)
    {
        byte[] copy = frame.ToArray();
        ref EnvelopeHeader header = ref Unsafe.As<byte, EnvelopeHeader>(ref copy[0]);
        header.Flags &= ~(EnvelopeFlags.Remote | EnvelopeFlags.Overflow | EnvelopeFlags.Traced);
        header.PayloadLength = (uint)Math.Max(0, copy.Length - EnvelopeHeader.Size);
        header.Length = (uint)copy.Length;
        DeadLetters.Post(reason, copy, null);
    }

    /// <summary>
    /// Delivers a frame that came from another process: a reply to an ask made here completes it; a publish goes to
    /// every local subscriber; a capability send to the least busy local member; anything else to its target. Every
    /// copy is marked Remote, so that replies and failures go back through the link.
    /// </summary>
    /// <param name="frame">The envelope, checked with <see cref="ValidateFrame"/> by the caller.</param>
    /// <param name="lastTarget">The caller's cache of the last target found (one per link reader).</param>
    /// <returns>What happened to it (a publish with no local subscriber counts as sent).</returns>
    internal SendStatus DeliverRemote(ReadOnlySpan<byte> frame, ref AgentCell? lastTarget)
    {
        EnvelopeHeader header = MemoryMarshal.Read<EnvelopeHeader>(frame);
        if (header.Kind == MessageKind.Reply && AskTable.IsOperation(header.CorrelationId))
        {
            return CompleteRemoteAsk(frame, in header);
        }

        if ((header.Flags & EnvelopeFlags.AnyOf) != 0)
        {
            AgentCell? member = PickLeastBusy(header.Target.Value);
            if (member is null)
            {
                PostFrame(DeadLetterReason.NoSuchAgent, frame, EnvelopeFlags.Remote);
                return SendStatus.NoSuchAgent;
            }

            return Enqueue(member, frame, in header, member.Id, EnvelopeFlags.Remote, EnvelopeFlags.AnyOf);
        }

        if (header.Kind == MessageKind.Publish && header.Target.IsNone)
        {
            AgentCell[] subscribers = _topics.TryGetValue(header.CorrelationId, out CellGroup? group) ? group.Members : [];
            foreach (AgentCell subscriber in subscribers)
            {
                Enqueue(subscriber, frame, in header, subscriber.Id, EnvelopeFlags.Remote, EnvelopeFlags.None);
            }

            return SendStatus.Sent;
        }

        AgentCell? cell = lastTarget;
        if (cell is null || cell.Id != header.Target || Volatile.Read(ref cell.State) == AgentCell.Stopped)
        {
            cell = Find(header.Target);
            if (cell is null)
            {
                PostFrame(DeadLetterReason.NoSuchAgent, frame, EnvelopeFlags.Remote);
                return SendStatus.NoSuchAgent;
            }

            lastTarget = cell;
        }

        return Enqueue(cell, frame, in header, header.Target, EnvelopeFlags.Remote, EnvelopeFlags.None);
    }

    private SendStatus CompleteRemoteAsk(ReadOnlySpan<byte> frame, in EnvelopeHeader header)
    {
        AskOperation? op = _asks.TryTake(header.CorrelationId);
        if (op is null)
        {
            PostFrame(DeadLetterReason.ReplyToExpiredAsk, frame, EnvelopeFlags.None);
            return SendStatus.NoSuchAgent;
        }

        if (header.PayloadType != op.ReplyTypeId)
        {
            op.SetException(new InvalidCastException(
                $"The ask expected a {op.ReplyType.Name} reply; the agent replied with {MessageTypes.Describe(header.PayloadType)}."));
            return SendStatus.Sent;
        }

        op.SetResultFromPayload(frame.Slice(header.PayloadOffset, (int)header.PayloadLength));
        return SendStatus.Sent;
    }

    /// <summary>A send from outside any agent to a remote agent (or capability, or topic).</summary>
    internal SendStatus SendRemoteExternal<T>(RuntimeLink link, AgentId target, MessageKind kind, Priority priority, ulong correlation, EnvelopeFlags flags, in T message, Backpressure? backpressure, bool throwWhenFull)
    {
        if (_shuttingDown)
        {
            return Refuse(target, kind, priority, correlation, AgentId.None, in message, DeadLetterReason.ShuttingDown, SendStatus.ShuttingDown);
        }

        Backpressure mode = backpressure ?? Backpressure.Wait;
        ActivityContext trace = Options.PropagateTraceContext && Activity.Current is { } activity ? activity.Context : default;
        SendStatus status = SendRemote(link, target, kind, priority, correlation, AgentId.None, flags, in message, mode, trace);
        if (status == SendStatus.Full && throwWhenFull)
        {
            throw new InboxFullException(target, priority, mode == Backpressure.Wait ? Options.SendTimeout : TimeSpan.Zero);
        }

        return status;
    }

    /// <summary>
    /// Writes an envelope into the link's outbound ring: claimed, written and published exactly like a send into a
    /// worker's lane from outside (the same bytes go on the wire).
    /// </summary>
    internal SendStatus SendRemote<T>(RuntimeLink link, AgentId target, MessageKind kind, Priority priority, ulong correlation, AgentId sender, EnvelopeFlags flags, in T message, Backpressure backpressure, ActivityContext trace)
    {
        if ((uint)priority > (uint)Priority.Low)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "Priority is High, Normal or Low.");
        }

        Lane lane = link.Outbound;
        if (!lane.Sequencer.TryNext(out long sequence)
            && (backpressure != Backpressure.Wait || !WaitForRoom(lane, Options.SendTimeout, out sequence)))
        {
            return OnFull(target, kind, priority, correlation, sender, in message, backpressure);
        }

        WriteOutside(lane, sequence, kind, priority, correlation, sender, target, flags, trace.TraceId != default, in trace, in message);
        lane.Sequencer.Publish(sequence);
        return SendStatus.Sent;
    }

    /// <summary>
    /// Writes an envelope into a claimed slot of a lane that has many producers (a worker's outside lane, or a link's
    /// outbound ring): header, trace section when <paramref name="traced"/>, payload. The caller publishes. When the
    /// payload cannot be written, the slot is published void (its consumer skips it) and the exception propagates.
    /// </summary>
    private void WriteOutside<T>(Lane lane, long sequence, MessageKind kind, Priority priority, ulong correlation, AgentId sender, AgentId target, EnvelopeFlags flags, bool traced, in ActivityContext trace, in T message)
    {
        ref EnvelopeHeader header = ref lane.Header(sequence);
        header.Version = EnvelopeHeader.CurrentVersion;
        header.Kind = kind;
        header.Priority = (byte)priority;
        header.MessageId = lane.ExternalMessageId(sequence);
        header.CorrelationId = correlation;
        header.Sender = sender;
        header.Target = target;
        header.Timestamp = Options.StampTimestamps ? UnixNanoseconds() : 0;
        if (traced)
        {
            flags |= EnvelopeFlags.Traced;
            Unsafe.As<byte, TraceSection>(ref Unsafe.Add(ref lane.Slot(sequence), EnvelopeHeader.Size)).Context = trace;
        }

        header.Flags = flags;
        if (!LaneWriter.TryWriteRaw(ref lane.Slot(sequence), ref header, in message))
        {
            try
            {
                LaneWriter.WriteSerialized(lane, sequence, ref header, in message, Options.MaxPayload);
            }
            catch
            {
                header.Kind = MessageKind.None; // a void slot: the consumer skips it
                lane.Sequencer.Publish(sequence);
                throw;
            }
        }
    }
}
