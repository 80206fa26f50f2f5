using FastAgents.Rings;
using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Internal;

namespace FastAgents.Runtime.Remote;

/// <summary>
/// The runtime's side of a link to other processes; a transport derives from it. Envelopes for agents that are
/// not in this process are written into <see cref="Outbound"/> exactly as into a worker's lane (the same bytes,
/// claimed and published the same way) and the transport drains it onto the wire. The runtime tells the link
/// when local agents appear, stop or subscribe, so that it can keep the other side's directory current.
/// </summary>
/// <remarks>
/// Design: the outbound ring is a multi-producer lane because every worker and every outside thread may send to a
/// remote agent; it is bounded, so a link that cannot keep up makes senders wait, fail or drop according to their
/// backpressure choice, never buffer without limit. The link outlives its connection: envelopes written while
/// the connection is down wait in the ring for the next one.
/// </remarks>
internal abstract class RuntimeLink
{
    /// <summary>The agent-type id reserved for node agents: the stand-in for a process in replies to its outside asks.</summary>
    public const uint NodeTypeId = 0xFFFF_FFFF;

    protected RuntimeLink(int capacity, SpinThenParkWait wait)
    {
        Wait = wait;
        Outbound = new Lane(capacity, singleProducer: false, Wait, priority: 0, source: 0, worker: 0x3FF);

        // Chosen here rather than by the far side, so that it is known before the first connection and stays the
        // same across reconnections: replies to asks sent before a reconnection still find their way back.
        NodeAgent = new AgentId(((ulong)NodeTypeId << 32) | (uint)Random.Shared.Next(1, int.MaxValue));
    }

    /// <summary>The wait strategy of <see cref="Outbound"/>: its consumer parks on it and publishing wakes it.</summary>
    public SpinThenParkWait Wait { get; }

    /// <summary>Envelopes on their way out, in the order they were published.</summary>
    public Lane Outbound { get; }

    /// <summary>
    /// This process's node agent: the sender of asks made outside any agent, to which replies are addressed.
    /// Random per link; the router refuses a second connection with the same one.
    /// </summary>
    public AgentId NodeAgent { get; }

    /// <summary>True when <paramref name="id"/> names a node agent rather than an agent.</summary>
    public static bool IsNodeAgent(AgentId id) => id.TypeId == NodeTypeId;

    /// <summary>A local agent started (or was placed) with these capabilities.</summary>
    public abstract void OnAgentAdded(AgentId id, IReadOnlyList<Capability> capabilities);

    /// <summary>A local agent stopped.</summary>
    public abstract void OnAgentRemoved(AgentId id);

    /// <summary>A local agent subscribed to a topic.</summary>
    public abstract void OnSubscribed(AgentId id, ulong topicId);

    /// <summary>A local agent's subscription ended.</summary>
    public abstract void OnUnsubscribed(AgentId id, ulong topicId);

    /// <summary>
    /// An ask that came in through this link cannot be answered (its header and the reason): the link tells the
    /// asking process, whose ask then fails at once.
    /// </summary>
    public abstract void OnRemoteAskFailed(in EnvelopeHeader header, DeadLetterReason reason);
}
