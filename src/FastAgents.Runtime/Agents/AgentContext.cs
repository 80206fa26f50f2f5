using System.Diagnostics;
using System.Runtime.CompilerServices;
using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Internal;
using FastAgents.Runtime.Remote;

namespace FastAgents.Runtime;

/// <summary>
/// What a handler knows and can do: the envelope it is handling (sender, kind, correlation), and sends that leave
/// from its agent. One context per worker, reused for every call: valid only during the call it was passed to.
/// </summary>
/// <remarks>
/// Sends from a context are written into the sending worker's own lane in the target's worker and published at
/// the end of the worker's pass, so they are cheap and arrive in order per sender and target.
/// </remarks>
public sealed class AgentContext
{
    private readonly AgentRuntime _runtime;
    private readonly Worker _worker;
    private Lane? _lane;
    private long _sequence;
    private bool _inMessage;
    private bool _traced;
    private bool _replied;
    private AgentCell? _lastTarget;

    internal AgentContext(AgentRuntime runtime, Worker worker)
    {
        _runtime = runtime;
        _worker = worker;
    }

    /// <summary>The runtime.</summary>
    public AgentRuntime Runtime => _runtime;

    /// <summary>The agent being called.</summary>
    public AgentId Self { get; private set; }

    /// <summary>The index of the worker running the call.</summary>
    public int WorkerIndex => _worker.Index;

    /// <summary>The sender of the current message (<see cref="AgentId.None"/> when it came from outside any agent, or in OnStart/OnStop).</summary>
    public AgentId Sender => !_inMessage ? AgentId.None : Header.Sender;

    /// <summary>The kind of the current message (<see cref="MessageKind.None"/> in OnStart/OnStop).</summary>
    public MessageKind Kind => !_inMessage ? MessageKind.None : Header.Kind;

    /// <summary>The current message's correlation id: the ask's id for an ask or reply, the topic id for a publish.</summary>
    public ulong CorrelationId => !_inMessage ? 0 : Header.CorrelationId;

    /// <summary>The current message's id.</summary>
    public ulong MessageId => !_inMessage ? 0 : Header.MessageId;

    /// <summary>The current message's priority.</summary>
    public Priority Priority => !_inMessage ? Priority.Normal : (Priority)Header.Priority;

    /// <summary>The trace context the current message carries (default when none).</summary>
    public ActivityContext TraceContext => IsTraced ? TraceSection.Context : default;

    internal bool IsTraced => _traced;

    internal ref TraceSection TraceSection => ref Unsafe.As<byte, TraceSection>(ref Unsafe.Add(ref _lane!.Slot(_sequence), EnvelopeHeader.Size));

    private ref EnvelopeHeader Header => ref _lane!.Header(_sequence);

    /// <summary>True when the current message came from another process.</summary>
    private bool IsRemote => _inMessage && (Header.Flags & EnvelopeFlags.Remote) != 0;

    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="target"/>. When the target's inbox is full, the
    /// target's <see cref="AgentOptions.Backpressure"/> (or <paramref name="backpressure"/>) decides.
    /// </summary>
    /// <exception cref="InboxFullException">The inbox stayed full and the policy is Wait or FailFast.</exception>
    /// <returns>Sent, or why not (unknown and stopped targets are dead-lettered, not thrown).</returns>
    public SendStatus Tell<T>(AgentId target, in T message, Priority priority = Priority.Normal, Backpressure? backpressure = null) =>
        Send(target, MessageKind.Tell, priority, 0, in message, backpressure, throwWhenFull: true);

    /// <summary>Sends without waiting and without throwing when the inbox is full.</summary>
    /// <returns><see cref="SendStatus.Full"/> when there was no room (nothing sent); otherwise as <see cref="Tell{T}"/>.</returns>
    public SendStatus TryTell<T>(AgentId target, in T message, Priority priority = Priority.Normal) =>
        Send(target, MessageKind.Tell, priority, 0, in message, Backpressure.FailFast, throwWhenFull: false);

    /// <summary>
    /// Sends <paramref name="message"/> to the least busy running agent with <paramref name="capability"/>
    /// (smallest queue depth, then not busy, ties in turn).
    /// </summary>
    /// <returns>Sent, or <see cref="SendStatus.NoSuchAgent"/> when no running agent has the capability.</returns>
    public SendStatus TellAny<T>(Capability capability, in T message, Priority priority = Priority.Normal, Backpressure? backpressure = null)
    {
        AgentCell? cell = _runtime.PickLeastBusy(capability);
        if (cell is null)
        {
            if (_runtime.Link is { } link)
            {
                return SendRemote(link, new AgentId(capability.Id), MessageKind.Tell, priority, 0, EnvelopeFlags.AnyOf, in message, backpressure, throwWhenFull: true);
            }

            return _runtime.Refuse(new AgentId(capability.Id), MessageKind.Tell, priority, 0, Self, in message, DeadLetterReason.NoSuchAgent, SendStatus.NoSuchAgent);
        }

        return SendTo(cell, MessageKind.Tell, priority, 0, in message, backpressure, throwWhenFull: true);
    }

    /// <summary>
    /// Asks <paramref name="target"/> without waiting: its reply comes back to this agent as a message of kind
    /// <see cref="MessageKind.Reply"/> (handled by the agent's handler for the reply's type) with
    /// <see cref="CorrelationId"/> equal to the returned id.
    /// </summary>
    /// <returns>The correlation id of the request.</returns>
    public ulong Request<T>(AgentId target, in T message, Priority priority = Priority.Normal)
    {
        ulong correlation = _worker.NextMessageId() & ~AskTable.OperationBit;
        Send(target, MessageKind.Ask, priority, correlation, in message, null, throwWhenFull: true);
        return correlation;
    }

    /// <summary>Answers the ask being handled.</summary>
    /// <exception cref="InvalidOperationException">The current message is not an ask, or it was already answered.</exception>
    public void Reply<T>(in T reply)
    {
        if (Kind != MessageKind.Ask)
        {
            throw new InvalidOperationException($"Reply needs an ask; the current message is {Kind}.");
        }

        if (_replied)
        {
            throw new InvalidOperationException("This ask was already answered.");
        }

        _replied = true;
        ReplyTo(new PendingReply(Sender, CorrelationId, Priority, IsRemote), in reply);
    }

    /// <summary>Keeps the current ask to answer it later with <see cref="ReplyTo{T}"/> (from a later call on this agent).</summary>
    /// <exception cref="InvalidOperationException">The current message is not an ask.</exception>
    public PendingReply DeferReply()
    {
        if (Kind != MessageKind.Ask)
        {
            throw new InvalidOperationException($"Only an ask can be answered later; the current message is {Kind}.");
        }

        _replied = true;
        return new PendingReply(Sender, CorrelationId, Priority, IsRemote);
    }

    /// <summary>Answers an ask kept with <see cref="DeferReply"/>.</summary>
    public void ReplyTo<T>(PendingReply pending, in T reply)
    {
        if (pending.Remote)
        {
            // The asker is in another process: the reply goes back through the link, to its agent or node agent.
            if (_runtime.Link is { } link)
            {
                SendRemote(link, pending.Asker, MessageKind.Reply, pending.Priority, pending.CorrelationId, EnvelopeFlags.None, in reply, null, throwWhenFull: true);
            }
            else
            {
                _runtime.Refuse(pending.Asker, MessageKind.Reply, pending.Priority, pending.CorrelationId, Self, in reply, DeadLetterReason.Disconnected, SendStatus.NoSuchAgent);
            }
        }
        else if (AskTable.IsOperation(pending.CorrelationId))
        {
            _runtime.CompleteAsk(pending.CorrelationId, pending.Asker, in reply);
        }
        else if (!pending.Asker.IsNone)
        {
            Send(pending.Asker, MessageKind.Reply, pending.Priority, pending.CorrelationId, in reply, null, throwWhenFull: true);
        }
    }

    /// <summary>Publishes <paramref name="message"/> to every subscriber of <paramref name="topic"/>.</summary>
    /// <returns>The number of subscribers it was sent to.</returns>
    public int Publish<T>(Topic topic, in T message, Priority priority = Priority.Normal)
    {
        AgentCell[] subscribers = _runtime.SubscribersOf(topic);
        int sent = 0;
        foreach (AgentCell cell in subscribers)
        {
            if (SendTo(cell, MessageKind.Publish, priority, topic.Id, in message, null, throwWhenFull: true) == SendStatus.Sent)
            {
                sent++;
            }
        }

        if (_runtime.Link is { } link)
        {
            SendRemote(link, AgentId.None, MessageKind.Publish, priority, topic.Id, EnvelopeFlags.None, in message, null, throwWhenFull: true);
        }

        return sent;
    }

    /// <summary>Sends <paramref name="message"/> to every running agent with <paramref name="capability"/>.</summary>
    /// <returns>The number of agents it was sent to.</returns>
    public int Broadcast<T>(Capability capability, in T message, Priority priority = Priority.Normal) =>
        BroadcastTo(_runtime.MembersOf(capability), in message, priority);

    /// <summary>Sends <paramref name="message"/> to every running agent of <paramref name="type"/>.</summary>
    /// <returns>The number of agents it was sent to.</returns>
    public int Broadcast<T>(AgentType type, in T message, Priority priority = Priority.Normal) =>
        BroadcastTo(_runtime.AgentsOfType(type), in message, priority);

    /// <summary>Stops this agent once it has handled what was sent to it before (and the current message).</summary>
    public void StopSelf()
    {
        if (_runtime.Find(Self) is { } cell && ReferenceEquals(cell.Worker, _worker))
        {
            _worker.StopOnThisThread(cell);
        }
    }

    internal void Begin(AgentId self, Lane lane, long sequence, ref EnvelopeHeader header)
    {
        Self = self;
        if (!ReferenceEquals(_lane, lane))
        {
            _lane = lane; // a reference store costs a write barrier: only when the lane changes
        }

        _sequence = sequence;
        _inMessage = true;
        _traced = header.IsTraced;
        _replied = false;
    }

    internal void Begin(AgentId self)
    {
        Self = self;
        _inMessage = false;
        _traced = false;
    }

    internal void End()
    {
        _inMessage = false;
        _traced = false;
        Self = AgentId.None;
    }

    private int BroadcastTo<T>(AgentCell[] cells, in T message, Priority priority)
    {
        int sent = 0;
        foreach (AgentCell cell in cells)
        {
            if (Volatile.Read(ref cell.State) == AgentCell.Running
                && SendTo(cell, MessageKind.Tell, priority, 0, in message, null, throwWhenFull: true) == SendStatus.Sent)
            {
                sent++;
            }
        }

        return sent;
    }

    private SendStatus Send<T>(AgentId target, MessageKind kind, Priority priority, ulong correlation, in T message, Backpressure? backpressure, bool throwWhenFull)
    {
        // Handlers tend to send to the same agent again and again: keep the last one found.
        AgentCell? cell = _lastTarget;
        if (cell is null || cell.Id != target || Volatile.Read(ref cell.State) == AgentCell.Stopped)
        {
            cell = _runtime.Find(target);
            if (cell is null)
            {
                if (_runtime.Link is { } link && !target.IsNone)
                {
                    return SendRemote(link, target, kind, priority, correlation, EnvelopeFlags.None, in message, backpressure, throwWhenFull);
                }

                return _runtime.Refuse(target, kind, priority, correlation, Self, in message, DeadLetterReason.NoSuchAgent, SendStatus.NoSuchAgent);
            }

            _lastTarget = cell;
        }

        return SendTo(cell, kind, priority, correlation, in message, backpressure, throwWhenFull);
    }

    private SendStatus SendRemote<T>(RuntimeLink link, AgentId target, MessageKind kind, Priority priority, ulong correlation, EnvelopeFlags flags, in T message, Backpressure? backpressure, bool throwWhenFull)
    {
        Backpressure mode = backpressure ?? Backpressure.Wait;
        ActivityContext trace = IsTraced && _runtime.Options.PropagateTraceContext ? TraceSection.Context : default;
        SendStatus status = _runtime.SendRemote(link, target, kind, priority, correlation, Self, flags, in message, mode, trace);
        if (status == SendStatus.Full && throwWhenFull)
        {
            throw new InboxFullException(target, priority, mode == Backpressure.Wait ? _runtime.Options.SendTimeout : TimeSpan.Zero);
        }

        return status;
    }

    private SendStatus SendTo<T>(AgentCell cell, MessageKind kind, Priority priority, ulong correlation, in T message, Backpressure? backpressure, bool throwWhenFull)
    {
        Backpressure mode = backpressure ?? cell.Backpressure;
        SendStatus status = _worker.Send(cell, kind, priority, correlation, in message, mode);
        if (status == SendStatus.Full && throwWhenFull)
        {
            throw new InboxFullException(cell.Id, priority, mode == Backpressure.Wait ? _runtime.Options.SendTimeout : TimeSpan.Zero);
        }

        return status;
    }
}

/// <summary>An ask kept to be answered later (<see cref="AgentContext.DeferReply"/>).</summary>
/// <param name="Asker">Who asked (None when the ask came from outside any agent).</param>
/// <param name="CorrelationId">The ask's id.</param>
/// <param name="Priority">The ask's priority; the reply travels at the same one.</param>
/// <param name="Remote">The ask came from another process: the reply goes back through the runtime's link.</param>
public readonly record struct PendingReply(AgentId Asker, ulong CorrelationId, Priority Priority, bool Remote = false);
