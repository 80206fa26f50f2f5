using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// Spins briefly, then yields the core on every turn. Latency close to busy-spin when cores are free, and
/// other threads can run when they are not; the core still shows busy while idle.
/// </summary>
public readonly struct YieldingWait : IWaitStrategy
{
    private const int SpinTries = 100;

    /// <inheritdoc/>
    public long WaitFor(long sequence, in DependentSequences dependents, BarrierAlert alert)
    {
        long available;
        int counter = 0;
        while ((available = dependents.Value) < sequence)
        {
            if (alert.IsRaised)
            {
                break;
            }

            if (counter < SpinTries)
            {
                counter++;
                SpinPause.Once();
            }
            else
            {
                Thread.Yield();
            }
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
    }
}
