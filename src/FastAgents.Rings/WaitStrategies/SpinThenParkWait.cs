using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// The default strategy: spin briefly, then yield, then park the thread until a publisher wakes it. A
/// publisher pays one fence and one load per publish, and makes the wake-up call only when a consumer is
/// actually parked, so a busy ring never enters the kernel and an idle one burns no core.
/// </summary>
/// <remarks>
/// On Linux the consumer parks on a futex word: a wake costs one system call and no lock that the woken
/// thread must re-acquire. Elsewhere it falls back to a monitor. Copies of the struct share one parking lot.
/// </remarks>
public readonly struct SpinThenParkWait : IWaitStrategy
{
    /// <summary>Default number of pause-spins before yielding (a few tens of microseconds).</summary>
    public const int DefaultSpinTries = 1024;

    /// <summary>Default number of yields before parking.</summary>
    public const int DefaultYieldTries = 64;

    private readonly ParkingLot _lot;
    private readonly int _spinTries;
    private readonly int _yieldTries;

    /// <summary>Creates the strategy with the default spin and yield budgets.</summary>
    public SpinThenParkWait()
        : this(DefaultSpinTries, DefaultYieldTries)
    {
    }

    /// <summary>Creates the strategy with the given budgets before a waiter parks.</summary>
    /// <param name="spinTries">Pause-spins before yielding; 0 skips spinning.</param>
    /// <param name="yieldTries">Yields after spinning and before parking; 0 skips yielding.</param>
    public SpinThenParkWait(int spinTries, int yieldTries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spinTries);
        ArgumentOutOfRangeException.ThrowIfNegative(yieldTries);
        _lot = new ParkingLot();
        _spinTries = spinTries;
        _yieldTries = yieldTries;
    }

    /// <summary>Number of threads currently parked (or about to park) on this strategy's lot.</summary>
    public int ParkedCount => _lot.Sleepers;

    /// <inheritdoc/>
    public long WaitFor(long sequence, in DependentSequences dependents, BarrierAlert alert)
    {
        long available;
        for (int i = 0; i < _spinTries; i++)
        {
            if ((available = dependents.Value) >= sequence || alert.IsRaised)
            {
                return available;
            }

            SpinPause.Once();
        }

        for (int i = 0; i < _yieldTries; i++)
        {
            if ((available = dependents.Value) >= sequence || alert.IsRaised)
            {
                return available;
            }

            Thread.Yield();
        }

        return Park(sequence, in dependents, alert);
    }

    private long Park(long sequence, in DependentSequences dependents, BarrierAlert alert)
    {
        while (true)
        {
            int generation = _lot.PrepareToPark();
            long available = dependents.Value;
            if (available >= sequence || alert.IsRaised)
            {
                _lot.CancelPark();
                return available;
            }

            _lot.Park(generation);
            _lot.CancelPark();
            if ((available = dependents.Value) >= sequence || alert.IsRaised)
            {
                return available;
            }
        }
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking() => _lot.WakeIfParked();
}
