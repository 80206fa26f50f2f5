namespace FastAgents.Rings;

/// <summary>
/// The classic lock-and-pulse strategy: a waiter sleeps on a monitor and every signal takes the lock and
/// pulses it. No CPU while idle, but every publish pays for the lock, and a wake goes through the
/// monitor's condition variable. Kept as the reference that <see cref="SpinThenParkWait"/> improves on.
/// </summary>
public readonly struct BlockingWait : IWaitStrategy
{
    private readonly object _gate;

    /// <summary>Creates the strategy and the monitor its copies share.</summary>
    public BlockingWait() => _gate = new object();

    /// <inheritdoc/>
    public long WaitFor(long sequence, in DependentSequences dependents, BarrierAlert alert)
    {
        long available = dependents.Value;
        if (available < sequence)
        {
            lock (_gate)
            {
                while ((available = dependents.Value) < sequence && !alert.IsRaised)
                {
                    Monitor.Wait(_gate);
                }
            }
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
