using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// Spins, yields, then sleeps one millisecond at a time. Nearly no CPU while idle and no cost to the
/// producer, at the price of up to a millisecond of latency after an idle spell.
/// </summary>
public readonly struct SleepingWait : IWaitStrategy
{
    private const int SpinTries = 100;
    private const int YieldTries = SpinTries + 100;

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
            else if (counter < YieldTries)
            {
                counter++;
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
        }

        return available;
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking()
    {
    }
}
