namespace FastAgents.Orchestration;

/// <summary>How a <see cref="GroupChat"/> ended.</summary>
public enum GroupChatStatus
{
    /// <summary>The termination condition (<see cref="GroupChatOptions.TerminateWhen"/>) held after a turn.</summary>
    Terminated,

    /// <summary>The chat took its <see cref="GroupChatOptions.MaxTurns"/> turns.</summary>
    MaxTurns,

    /// <summary>The caller cancelled the chat; the admin, if any, had the last word.</summary>
    Cancelled,

    /// <summary>A speaker's turn failed (an error reply, a timeout, an undeliverable ask) or selection threw.</summary>
    Failed,
}
