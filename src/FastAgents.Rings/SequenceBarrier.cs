using System.Runtime.CompilerServices;

namespace FastAgents.Rings;

/// <summary>
/// What a consumer waits through: the producers' cursor or the consumers it runs after, the wait strategy,
/// and an alert that pulls it out of a wait. Created by <see cref="Sequencer{TWait}.NewBarrier"/>.
/// </summary>
/// <typeparam name="TWait">The wait strategy shared with the sequencer.</typeparam>
public sealed class SequenceBarrier<TWait> where TWait : struct, IWaitStrategy
{
    private readonly Sequencer<TWait> _sequencer;
    private readonly TWait _waitStrategy;
    private readonly DependentSequences _dependents;
    private readonly BarrierAlert _alert = new();

    internal SequenceBarrier(Sequencer<TWait> sequencer, TWait waitStrategy, DependentSequences dependents)
    {
        _sequencer = sequencer;
        _waitStrategy = waitStrategy;
        _dependents = dependents;
    }

    /// <summary>The sequencer whose ring this barrier reads.</summary>
    public Sequencer<TWait> Sequencer => _sequencer;

    /// <summary>True after <see cref="Alert"/> until <see cref="ClearAlert"/>.</summary>
    public bool IsAlerted => _alert.IsRaised;

    /// <summary>
    /// Waits until <paramref name="sequence"/> is published and every upstream consumer has passed it.
    /// </summary>
    /// <returns>
    /// The highest sequence that may be read, at least <paramref name="sequence"/> unless the barrier was
    /// alerted, in which case it may be smaller and the caller should check <see cref="IsAlerted"/>.
    /// </returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long WaitFor(long sequence)
    {
        long available = _waitStrategy.WaitFor(sequence, in _dependents, _alert);
        if (available < sequence)
        {
            return available;
        }

        return _sequencer.GetHighestPublishedSequence(sequence, available);
    }

    /// <summary>Raises the alert and wakes waiters, so a consumer blocked in <see cref="WaitFor"/> returns.</summary>
    public void Alert()
    {
        _alert.Raise();
        _sequencer.SignalConsumers();
    }

    /// <summary>Lowers the alert (a consumer does this when it starts running).</summary>
    public void ClearAlert() => _alert.Clear();

    /// <summary>Wakes consumers parked on the shared strategy (after an upstream consumer advanced).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Signal() => _waitStrategy.SignalAllWhenBlocking();
}
