namespace FastAgents.Runtime;

/// <summary>What an envelope asks of its target. Stored as one byte in the envelope header.</summary>
public enum MessageKind : byte
{
    /// <summary>Not a valid kind: a zeroed header.</summary>
    None = 0,

    /// <summary>One-way message; no reply is expected.</summary>
    Tell = 1,

    /// <summary>A request; the target replies with a <see cref="Reply"/> carrying the same correlation id.</summary>
    Ask = 2,

    /// <summary>The answer to an <see cref="Ask"/>.</summary>
    Reply = 3,

    /// <summary>A message to every subscriber of a topic (the target field holds the topic id).</summary>
    Publish = 4,

    /// <summary>The target handles what is already in its inbox, then ends.</summary>
    Stop = 5,
}
