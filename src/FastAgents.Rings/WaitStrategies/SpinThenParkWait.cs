using System.Diagnostics;
using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// The default strategy: spin briefly, then yield, then park the thread until a publisher wakes it. A
/// publisher pays one plain load per publish (no fence), and makes the wake-up call only when a consumer is
/// actually parked, so a busy ring never enters the kernel and an idle one burns no core.
/// </summary>
/// <remarks>
/// <para>
/// Three phases, with budgets in time rather than iterations because a CPU pause costs anything from a
/// few to 140 cycles depending on the processor: spin with a pause for <see cref="DefaultSpin"/>, yield
/// for <see cref="DefaultYield"/>, then park until a publisher wakes us.
/// </para>
/// <para>
/// The spin is long on purpose. The whole budget must exceed the time the operating system takes to wake
/// a parked thread (tens of microseconds at the 99th percentile on a virtual machine): otherwise two
/// threads in a request/reply exchange fall into a cascade in which each one's wake-up outlasts the
/// other's budget, so both park on every message. And the spin is not replaced by yielding: when the
/// scheduler has placed both threads of an exchange on one CPU (it does, after a wake-up), a pure spinner
/// leaves its partner waiting long enough to be migrated to the idle CPU within a few scheduler ticks,
/// while two threads that yield to each other both look cache-hot and stay together for tens of
/// milliseconds (measured: 1-5% of round trips at 5-10 us instead of under 1 us). An idle thread still
/// parks within about a tenth of a millisecond.
/// </para>
/// <para>
/// On Linux the consumer parks on a futex word: a wake costs one system call and no lock that the woken
/// thread must re-acquire. Elsewhere it falls back to a monitor. Copies of the struct share one parking lot.
/// </para>
/// </remarks>
public readonly struct SpinThenParkWait : IWaitStrategy
{
    /// <summary>Default time to spin with a pause before yielding.</summary>
    public static readonly TimeSpan DefaultSpin = TimeSpan.FromMicroseconds(100);

    /// <summary>Default time to yield, after spinning, before parking.</summary>
    public static readonly TimeSpan DefaultYield = TimeSpan.FromMicroseconds(20);

    // Pauses between two reads of the clock while spinning (a few hundred nanoseconds).
    private const int PausesPerClockRead = 16;

    private readonly ParkingLot _lot;
    private readonly long _spinTicks;
    private readonly long _yieldTicks;

    /// <summary>Creates the strategy with the default budgets.</summary>
    public SpinThenParkWait()
        : this(DefaultSpin, DefaultYield)
    {
    }

    /// <summary>Creates the strategy with the given budgets before a waiter parks.</summary>
    /// <param name="spin">How long to spin before yielding; zero skips spinning.</param>
    /// <param name="yield">How long to yield, after spinning, before parking; zero skips yielding.</param>
    public SpinThenParkWait(TimeSpan spin, TimeSpan yield)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spin, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(yield, TimeSpan.Zero);
        _lot = new ParkingLot();
        _spinTicks = (long)(spin.TotalSeconds * Stopwatch.Frequency);
        _yieldTicks = (long)(yield.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Number of threads currently parked (or about to park) on this strategy's lot.</summary>
    public int ParkedCount => _lot.Sleepers;

    /// <inheritdoc/>
    public long WaitFor(long sequence, in DependentSequences dependents, BarrierAlert alert)
    {
        var condition = new SequenceReached(sequence, dependents, alert);
        WaitUntil(ref condition);
        return condition.Available;
    }

    /// <summary>
    /// Spins, yields, then parks until <paramref name="condition"/> holds. Any thread that makes it hold
    /// must then signal this strategy (publishing through a sequencer that uses it does), or the waiter
    /// may stay parked.
    /// </summary>
    public void WaitUntil<TCondition>(ref TCondition condition)
        where TCondition : struct, IWaitCondition
    {
        if (!condition.IsSatisfied())
        {
            WaitSlow(ref condition);
        }
    }

    private void WaitSlow<TCondition>(ref TCondition condition)
        where TCondition : struct, IWaitCondition
    {
        long start = Stopwatch.GetTimestamp();
        long spinUntil = start + _spinTicks;
        if (_spinTicks > 0)
        {
            do
            {
                for (int i = 0; i < PausesPerClockRead; i++)
                {
                    if (condition.IsSatisfied())
                    {
                        return;
                    }

                    SpinPause.Once();
                }
            }
            while (Stopwatch.GetTimestamp() < spinUntil);
        }

        long yieldUntil = spinUntil + _yieldTicks;
        while (_yieldTicks > 0 && Stopwatch.GetTimestamp() < yieldUntil)
        {
            if (condition.IsSatisfied())
            {
                return;
            }

            Thread.Yield();
        }

        while (true)
        {
            int generation = _lot.PrepareToPark();
            if (condition.IsSatisfied())
            {
                _lot.CancelPark();
                return;
            }

            _lot.Park(generation);
            _lot.CancelPark();
            if (condition.IsSatisfied())
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    public void SignalAllWhenBlocking() => _lot.WakeIfParked();

    /// <summary>The consumer's condition: the dependencies reached the sequence, or the barrier was alerted.</summary>
    private struct SequenceReached : IWaitCondition
    {
        private readonly long _sequence;
        private readonly DependentSequences _dependents;
        private readonly BarrierAlert _alert;

        public SequenceReached(long sequence, in DependentSequences dependents, BarrierAlert alert)
        {
            _sequence = sequence;
            _dependents = dependents;
            _alert = alert;
            Available = Sequence.InitialValue;
        }

        public long Available { get; private set; }

        public bool IsSatisfied()
        {
            Available = _dependents.Value;
            return Available >= _sequence || _alert.IsRaised;
        }
    }
}
