namespace FastAgents.Runtime;

/// <summary>An agent's status in the registry.</summary>
public enum AgentStatus : byte
{
    /// <summary>Running, not handling a message right now.</summary>
    Idle = 0,

    /// <summary>Handling a message right now.</summary>
    Busy = 1,

    /// <summary>Its worker has been inside one pass longer than <see cref="RuntimeOptions.HeartbeatTimeout"/>: a handler may be stuck. Capability sends avoid it.</summary>
    Unresponsive = 2,

    /// <summary>Stop was requested; it is handling what was sent before.</summary>
    Stopping = 3,

    /// <summary>Stopped; messages to it go to dead letters.</summary>
    Stopped = 4,
}

/// <summary>A snapshot of one agent's registry entry.</summary>
/// <param name="Id">The agent.</param>
/// <param name="Status">Its status when the snapshot was taken.</param>
/// <param name="Worker">The index of its worker.</param>
/// <param name="Capabilities">What it registered.</param>
/// <param name="Received">Messages sent to it.</param>
/// <param name="Handled">Messages its handlers completed.</param>
/// <param name="Faults">Handler exceptions.</param>
/// <param name="QueueDepth">Messages sent to it and not yet taken off its inbox.</param>
/// <param name="LastHeartbeat">When its worker last showed it was alive (finished a pass or was waiting for work).</param>
/// <param name="LastError">The last handler exception, if any.</param>
public sealed record AgentInfo(
    AgentId Id,
    AgentStatus Status,
    int Worker,
    IReadOnlyList<Capability> Capabilities,
    long Received,
    long Handled,
    long Faults,
    long QueueDepth,
    DateTimeOffset LastHeartbeat,
    Exception? LastError);
