namespace FastAgents.Runtime;

/// <summary>
/// The inbox lane of a message. Workers drain lanes from <see cref="High"/> to <see cref="Low"/>, FIFO within a
/// lane, each lane up to its quota per pass so that urgent work cannot starve the rest.
/// </summary>
public enum Priority : byte
{
    /// <summary>Served first.</summary>
    High = 0,

    /// <summary>The default.</summary>
    Normal = 1,

    /// <summary>Served after the others, but on every pass.</summary>
    Low = 2,
}

/// <summary>What a send does when the target's inbox lane is full.</summary>
public enum Backpressure : byte
{
    /// <summary>
    /// Wait for room up to the send deadline, then throw <see cref="InboxFullException"/>. A worker never waits
    /// on its own inbox (it is the only one who could empty it): that case fails at once.
    /// </summary>
    Wait = 0,

    /// <summary>Do not wait: <c>Tell</c> throws <see cref="InboxFullException"/> and <c>TryTell</c> returns <see cref="SendStatus.Full"/>.</summary>
    FailFast = 1,

    /// <summary>Do not wait: the message goes to dead letters (reason <see cref="DeadLetterReason.InboxFull"/>), counted.</summary>
    DropAndCount = 2,
}

/// <summary>The outcome of a send that does not throw.</summary>
public enum SendStatus : byte
{
    /// <summary>The envelope is in the target's inbox.</summary>
    Sent = 0,

    /// <summary>The target's inbox lane had no room; nothing was sent.</summary>
    Full = 1,

    /// <summary>No agent has that id (or none has that capability); the message went to dead letters.</summary>
    NoSuchAgent = 2,

    /// <summary>The target is stopping or stopped; the message went to dead letters.</summary>
    Stopped = 3,

    /// <summary>The runtime is shutting down and refuses new work from outside its agents; the message went to dead letters.</summary>
    ShuttingDown = 4,

    /// <summary>The inbox was full and the send's policy was <see cref="Backpressure.DropAndCount"/>: dead-lettered and counted.</summary>
    Dropped = 5,
}
