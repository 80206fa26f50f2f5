using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// Spins with a CPU pause until the sequence is available: the lowest latency, and a whole core burnt while
/// idle. Use only when each consumer has a core of its own.
/// </summary>
public readonly struct BusySpinWait : IWaitStrategy
{
    /// <inheritdoc/>
    public long WaitFor(long sequence, in DependentSequences dependents, BarrierAlert alert)
    {
        long available;
        while ((available = dependents.Value) < sequence)
        {
            if (alert.IsRaised)
            {
                break;
            }

            SpinPause.Once();
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
    }
}
