namespace FastAgents.Runtime;

/// <summary>A send found the target's inbox lane full and could not wait (or waited past its deadline).</summary>
public sealed class InboxFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InboxFullException(AgentId target, Priority priority, TimeSpan waited)
        : base($"The inbox of {target} ({priority} lane) stayed full for {waited.TotalMilliseconds:0.###} ms; the message was not sent.")
    {
        Target = target;
    }

    /// <summary>The agent whose inbox was full.</summary>
    public AgentId Target { get; }
}

/// <summary>An ask got no reply within its timeout.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException(AgentId target, Type replyType, TimeSpan timeout)
        : base($"No {replyType.Name} reply from {target} within {timeout.TotalMilliseconds:0.###} ms.")
    {
        Target = target;
    }

    /// <summary>The agent that was asked.</summary>
    public AgentId Target { get; }
}

/// <summary>A message could not be delivered: why is in <see cref="Reason"/>.</summary>
public sealed class UndeliverableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UndeliverableException(AgentId target, DeadLetterReason reason, Exception? inner = null)
        : base(Describe(target, reason, inner), inner)
    {
        Target = target;
        Reason = reason;
    }

    /// <summary>The agent the message was for.</summary>
    public AgentId Target { get; }

    /// <summary>Why it was not delivered.</summary>
    public DeadLetterReason Reason { get; }

    private static string Describe(AgentId target, DeadLetterReason reason, Exception? inner) => reason switch
    {
        DeadLetterReason.NoSuchAgent => $"No agent {target} exists.",
        DeadLetterReason.AgentStopped => $"Agent {target} has stopped.",
        DeadLetterReason.HandlerFailed => $"Agent {target} failed to handle the message: {inner?.Message}",
        DeadLetterReason.NoHandler => $"Agent {target} has no handler for the message's type.",
        DeadLetterReason.ShuttingDown => "The runtime is shutting down.",
        DeadLetterReason.InboxFull => $"The inbox of {target} is full.",
        DeadLetterReason.Disconnected => $"Agent {target} is in another process, and that process or the link to it is gone.",
        _ => $"The message to {target} was not delivered ({reason}).",
    };
}
