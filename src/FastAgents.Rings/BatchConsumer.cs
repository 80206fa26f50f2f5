using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// Runs a handler over a ring on one thread: each pass reads the barrier once, handles every event that is
/// available (telling the handler which one ends the batch), then releases them all with one store.
/// </summary>
/// <typeparam name="T">The slot type.</typeparam>
/// <typeparam name="THandler">The handler; a struct handler is called directly, with no interface dispatch.</typeparam>
/// <typeparam name="TWait">The wait strategy shared with the sequencer.</typeparam>
/// <remarks>
/// <para>
/// Add <see cref="Sequence"/> to the sequencer's gating sequences (or to a downstream barrier) before
/// producers start, so producers cannot lap it. A consumer runs on one thread at a time; it can be halted
/// and run again, and it resumes after the last event it released.
/// </para>
/// <para>
/// If the handler throws, the run ends and the exception propagates; events before the failing one are
/// released, the failing one is not, so a new run starts with it.
/// </para>
/// </remarks>
public sealed class BatchConsumer<T, THandler, TWait>
    where THandler : IEventHandler<T>
    where TWait : struct, IWaitStrategy
{
    private const int Idle = 0;
    private const int Running = 1;

    private readonly RingBuffer<T> _ring;
    private readonly SequenceBarrier<TWait> _barrier;
    private readonly Sequence _sequence = new();
    private THandler _handler;
    private int _running;
    private volatile bool _haltRequested;
    private long _drainTo = long.MaxValue;
    private Exception? _fault;

    /// <summary>Creates a consumer of <paramref name="ring"/> that waits through <paramref name="barrier"/>.</summary>
    public BatchConsumer(RingBuffer<T> ring, SequenceBarrier<TWait> barrier, THandler handler)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(barrier);
        if (ring.BufferSize != barrier.Sequencer.BufferSize)
        {
            throw new ArgumentException($"The ring has {ring.BufferSize} slots but the sequencer coordinates {barrier.Sequencer.BufferSize}.", nameof(ring));
        }

        _ring = ring;
        _barrier = barrier;
        _handler = handler;
    }

    /// <summary>The highest sequence this consumer has handled and released.</summary>
    public Sequence Sequence => _sequence;

    /// <summary>The handler, by reference, so a struct handler's state can be read after a run.</summary>
    public ref THandler Handler => ref _handler;

    /// <summary>True while <see cref="Run"/> executes on some thread.</summary>
    public bool IsRunning => Volatile.Read(ref _running) == Running;

    /// <summary>The exception that ended the last run started with <see cref="Start"/>, if any.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>
    /// Handles events on the calling thread until <see cref="Halt"/> or <see cref="HaltWhenDrained"/>
    /// ends the run.
    /// </summary>
    /// <exception cref="InvalidOperationException">The consumer is already running on another thread.</exception>
    public void Run()
    {
        if (Interlocked.CompareExchange(ref _running, Running, Idle) != Idle)
        {
            ThrowHelper.ThrowAlreadyRunning();
        }

        try
        {
            Loop();
        }
        finally
        {
            _haltRequested = false;
            Volatile.Write(ref _drainTo, long.MaxValue);
            _barrier.ClearAlert();
            Volatile.Write(ref _running, Idle);
        }
    }

    /// <summary>Runs the consumer on a new dedicated thread; a handler exception is kept in <see cref="Fault"/>.</summary>
    /// <param name="name">The thread's name.</param>
    /// <param name="pinToCpu">
    /// A CPU to pin the thread to (Linux; see <see cref="ThreadAffinity"/>), or -1 to let the scheduler
    /// place it. Pinning is best effort: where it is not supported the thread runs unpinned.
    /// </param>
    public Thread Start(string? name = null, int pinToCpu = -1)
    {
        var thread = new Thread(static state =>
        {
            var (self, cpu) = ((BatchConsumer<T, THandler, TWait>, int))state!;
            if (cpu >= 0)
            {
                ThreadAffinity.TryPinCurrentThread(cpu);
            }

            try
            {
                self.Run();
            }
#pragma warning disable CA1031 // The thread has no caller to rethrow to; the fault is published instead.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Volatile.Write(ref self._fault, ex);
            }
        })
        {
            IsBackground = true,
            Name = name ?? "FastAgents.Rings consumer",
        };
        Volatile.Write(ref _fault, null);
        thread.Start((this, pinToCpu));
        return thread;
    }

    /// <summary>Ends the current run (or the next one, if none is running) after the batch in hand.</summary>
    public void Halt()
    {
        _haltRequested = true;
        _barrier.Alert();
    }

    /// <summary>
    /// Ends the current run once every event claimed before this call has been handled (for several
    /// producers, a claimed event must also be published before the run can end).
    /// </summary>
    public void HaltWhenDrained()
    {
        Volatile.Write(ref _drainTo, _barrier.Sequencer.Cursor.Value);
        _barrier.Alert();
    }

    private void Loop()
    {
        bool signalDownstream = _sequence.HasDependents;
        long next = _sequence.Value + 1;
        while (!_haltRequested && next <= Volatile.Read(ref _drainTo))
        {
            long available = _barrier.WaitFor(next);
            if (available >= next)
            {
                long sequence = next;
                try
                {
                    for (; sequence < available; sequence++)
                    {
                        _handler.OnEvent(ref _ring[sequence], sequence, false);
                    }

                    _handler.OnEvent(ref _ring[sequence], sequence, true);
                }
                catch
                {
                    _sequence.SetValue(sequence - 1);
                    throw;
                }

                _sequence.SetValue(available);
                if (signalDownstream)
                {
                    _barrier.Signal();
                }

                next = available + 1;
            }
            else if (_barrier.IsAlerted)
            {
                if (_haltRequested || next > Volatile.Read(ref _drainTo))
                {
                    break;
                }

                // A drain request with events still to come: keep waiting for them. Re-check the halt
                // flag after lowering the alert, in case a halt raced with it.
                _barrier.ClearAlert();
            }
            else
            {
                // Several producers: the cursor passed `next` but that slot is still being written.
                SpinPause.Once();
            }
        }
    }
}
