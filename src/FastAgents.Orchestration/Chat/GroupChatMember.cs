using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>A participant of a <see cref="GroupChat"/>: a name, the agent asked when it speaks, and what it does.</summary>
/// <param name="Name">The name in the transcript and the one a selector answers with; unique within a chat (case-insensitive).</param>
/// <param name="Agent">The agent asked (<see cref="StepRequest"/> → <see cref="StepReply"/>) when this member speaks.</param>
/// <param name="Description">What the member does; an automatic selector chooses by it.</param>
public sealed record GroupChatMember(string Name, AgentId Agent, string? Description = null);
