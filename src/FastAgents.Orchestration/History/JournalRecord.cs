using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>One entry of a <see cref="MessageJournal"/>: who sent what to whom, of which kind, when, in which run.</summary>
/// <param name="Sequence">The journal's running number for this record, from 1; never reused, also across dropped records.</param>
/// <param name="RunId">The run the message belongs to, or null.</param>
/// <param name="Time">When it was recorded (or, for a recorded envelope with a stamp, when it was stamped).</param>
/// <param name="From">The sender (<see cref="AgentId.None"/>: from outside any agent).</param>
/// <param name="To">The receiver (for a send to a capability: the id the runtime forms from the capability's id).</param>
/// <param name="Kind">The envelope kind.</param>
/// <param name="PayloadType">The payload type's name, or null.</param>
/// <param name="Text">The message as text (a step's input or output), or null.</param>
/// <param name="Payload">The payload's bytes in the wire format, or empty.</param>
/// <param name="Error">What went wrong (a failed step attempt, a dead letter's reason), or null.</param>
public sealed record JournalRecord(
    long Sequence,
    string? RunId,
    DateTimeOffset Time,
    AgentId From,
    AgentId To,
    MessageKind Kind,
    string? PayloadType,
    string? Text,
    ReadOnlyMemory<byte> Payload,
    string? Error)
{
    /// <summary>True when <paramref name="agent"/> sent or received this message.</summary>
    public bool Involves(AgentId agent) => From == agent || To == agent;
}
