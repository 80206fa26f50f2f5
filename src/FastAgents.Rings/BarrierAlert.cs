namespace FastAgents.Rings;

/// <summary>
/// A flag a <see cref="SequenceBarrier{TWait}"/> raises to pull its waiter out of a wait strategy (used to
/// halt a consumer). Wait strategies check it on every turn of their loop.
/// </summary>
public sealed class BarrierAlert
{
    private volatile bool _raised;

    /// <summary>True once <see cref="SequenceBarrier{TWait}.Alert"/> was called and until the consumer clears it.</summary>
    public bool IsRaised => _raised;

    internal void Raise() => _raised = true;

    internal void Clear() => _raised = false;
}
