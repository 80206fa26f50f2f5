using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>One message of a <see cref="GroupChat"/>'s transcript.</summary>
/// <param name="Turn">0 for the task that opened the chat, then 1, 2, ... for the turns; the admin's closing word takes the next number.</param>
/// <param name="Speaker">Who said it: a member's name, the admin's, or <see cref="GroupChatOptions.InitiatorName"/> for the task.</param>
/// <param name="Agent">The agent that said it (<see cref="AgentId.None"/> for the task).</param>
/// <param name="Text">What was said; null when the turn failed or was cancelled.</param>
public sealed record ChatEntry(int Turn, string Speaker, AgentId Agent, string? Text)
{
    /// <summary>Why the turn failed or was cancelled; null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// How the speaker was chosen: "round-robin", "random", "manual", "auto", "admin", or "fallback (reason)" when the
    /// selector's choice was invalid and the next member in turn spoke instead; null for the task.
    /// </summary>
    public string? Selection { get; init; }

    /// <summary>Asks made for the turn (more than 1 when <see cref="GroupChatOptions.TurnRetry"/> retried it); 0 for the task.</summary>
    public int Attempts { get; init; }

    /// <summary>Input tokens the turn used (<see cref="StepReply.InputTokens"/>).</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens the turn used (<see cref="StepReply.OutputTokens"/>).</summary>
    public long OutputTokens { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Error is null ? $"[{Speaker}] {Text}" : $"[{Speaker}] failed: {Error}";
}
