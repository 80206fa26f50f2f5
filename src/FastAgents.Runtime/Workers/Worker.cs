using FastAgents.Rings;
using FastAgents.Runtime.Envelopes;

namespace FastAgents.Runtime.Workers;

/// <summary>
/// One thread that owns a set of priority lanes (multi-producer rings of envelope slots) and hands every
/// envelope to its handler. Whatever runs inside the handler runs on this thread only, so the agents a
/// worker hosts never need locks.
/// </summary>
/// <typeparam name="THandler">The handler, a struct, called directly for each envelope.</typeparam>
/// <remarks>
/// <para>
/// Design: each pass over the lanes, highest priority first, takes up to that lane's quota of published
/// envelopes (FIFO within a lane), handles them, releases their payload buffers and then the slots with one
/// store per lane. Because every lane gets its quota on every pass, urgent work is served first but cannot
/// starve the lower lanes. When a pass finds nothing, the worker waits through its
/// <see cref="SpinThenParkWait"/> until any lane has work; all lanes' sequencers share that strategy, so a
/// publish on any lane wakes it, and a publish costs no system call unless the worker is actually parked.
/// </para>
/// <para>
/// A handler exception never ends the worker: it is counted in <see cref="Faults"/>, kept in
/// <see cref="LastFault"/>, and the next envelope is handled. A sender whose payload fails to serialize
/// after it claimed a slot still publishes the slot, marked void, so the lane never stalls behind it.
/// </para>
/// </remarks>
public sealed class Worker<THandler> where THandler : struct, IEnvelopeHandler
{
    private readonly Lane[] _lanes;
    private readonly int[] _quotas;
    private readonly SpinThenParkWait _wait = new();
    private readonly WorkerOptions _options;
    private readonly string _name;
    private THandler _handler;
    private Thread? _thread;
    private volatile bool _stopping;
    private long _handled;
    private long _faults;
    private Exception? _lastFault;

    /// <summary>Creates a worker; call <see cref="Start"/> to run it.</summary>
    public Worker(string name, THandler handler, WorkerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _options = options ?? new WorkerOptions();
        _options.Validate();
        _name = name;
        _handler = handler;
        _quotas = [.. _options.LaneQuotas];
        _lanes = new Lane[_quotas.Length];
        for (int i = 0; i < _lanes.Length; i++)
        {
            _lanes[i] = new Lane(_options.LaneCapacity, _wait);
        }
    }

    /// <summary>Number of priority lanes; priority 0 is the most urgent.</summary>
    public int LaneCount => _lanes.Length;

    /// <summary>Envelopes handled so far (void slots excluded).</summary>
    public long Handled => Volatile.Read(ref _handled);

    /// <summary>Handler exceptions caught so far.</summary>
    public long Faults => Volatile.Read(ref _faults);

    /// <summary>The last handler exception caught, if any.</summary>
    public Exception? LastFault => Volatile.Read(ref _lastFault);

    /// <summary>True once <see cref="RequestStop"/> was called: posts are refused from then on.</summary>
    public bool IsStopping => _stopping;

    /// <summary>The handler, by reference (read its state after the worker stopped).</summary>
    public ref THandler Handler => ref _handler;

    /// <summary>Envelopes waiting in lane <paramref name="priority"/>.</summary>
    public long QueueDepth(int priority) => _lanes[priority].Depth;

    /// <summary>Starts the worker thread.</summary>
    /// <exception cref="InvalidOperationException">It was already started.</exception>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _thread, new Thread(Run) { IsBackground = true, Name = _name }, null) is not null)
        {
            throw new InvalidOperationException($"Worker '{_name}' was already started.");
        }

        _thread.Start();
    }

    /// <summary>
    /// Posts an envelope without waiting: claims a slot in lane <paramref name="priority"/>, copies
    /// <paramref name="header"/>, serializes <paramref name="payload"/> into the slot and publishes it.
    /// </summary>
    /// <returns>False, with nothing posted, when the lane is full or the worker is stopping.</returns>
    /// <exception cref="InvalidOperationException">The payload exceeds <see cref="WorkerOptions.MaxPayload"/>.</exception>
    public bool TryPost<T>(int priority, in EnvelopeHeader header, in T payload, uint payloadType)
    {
        Lane lane = _lanes[priority];
        if (_stopping || !lane.Sequencer.TryNext(out long sequence))
        {
            return false;
        }

        Fill(lane, sequence, in header, in payload, payloadType);
        return true;
    }

    /// <summary>As <see cref="TryPost{T}"/>, but waits for room while the lane is full.</summary>
    /// <returns>False when the worker is stopping.</returns>
    public bool Post<T>(int priority, in EnvelopeHeader header, in T payload, uint payloadType)
    {
        Lane lane = _lanes[priority];
        if (_stopping)
        {
            return false;
        }

        Fill(lane, lane.Sequencer.Next(), in header, in payload, payloadType);
        return true;
    }

    /// <summary>Refuses new posts and lets the worker end once it has handled everything already posted.</summary>
    public void RequestStop()
    {
        _stopping = true;
        _wait.SignalAllWhenBlocking();
    }

    /// <summary>Requests a stop and waits for the worker to drain and end.</summary>
    /// <returns>False when it did not end within <paramref name="timeout"/>.</returns>
    public bool Stop(TimeSpan timeout)
    {
        RequestStop();
        return _thread is null || _thread.Join(timeout);
    }

    private void Fill<T>(Lane lane, long sequence, in EnvelopeHeader header, in T payload, uint payloadType)
    {
        ref EnvelopeSlot slot = ref lane.Ring[sequence];
        slot.Frame.Header = header;
        try
        {
            SlotPayloadWriter.Write(lane.Ring, sequence, in payload, payloadType, _options.MaxPayload);
        }
        catch
        {
            // The slot is claimed: publish it void so the lane does not stall behind it.
            slot.ReleasePayload();
            slot.Frame.Header.Kind = MessageKind.None;
            lane.Sequencer.Publish(sequence);
            throw;
        }

        lane.Sequencer.Publish(sequence);
    }

    private void Run()
    {
        if (_options.PinToCpu >= 0)
        {
            ThreadAffinity.TryPinCurrentThread(_options.PinToCpu);
        }

        var anyWork = new AnyLaneHasWork(this);
        while (true)
        {
            int handled = 0;
            for (int i = 0; i < _lanes.Length; i++)
            {
                handled += Drain(_lanes[i], _quotas[i]);
            }

            if (handled == 0)
            {
                if (_stopping && !AnyClaimed())
                {
                    return;
                }

                _wait.WaitUntil(ref anyWork);
            }
        }
    }

    private int Drain(Lane lane, int quota)
    {
        long next = lane.Consumed.Value + 1;
        long cursor = lane.Sequencer.Cursor.Value;
        if (cursor < next)
        {
            return 0;
        }

        long available = lane.Sequencer.GetHighestPublishedSequence(next, Math.Min(cursor, next + quota - 1));
        if (available < next)
        {
            return 0;
        }

        long handled = 0;
        for (long s = next; s <= available; s++)
        {
            ref EnvelopeSlot slot = ref lane.Ring[s];
            if (slot.Frame.Header.Kind != MessageKind.None)
            {
                try
                {
                    _handler.Handle(ref slot);
                }
#pragma warning disable CA1031 // A handler fault must never end the worker; it is counted and kept.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _faults++;
                    Volatile.Write(ref _lastFault, ex);
                }

                handled++;
            }

            // Inline payloads need no release; writing the header here would dirty the slot's line on this
            // core, and the next sender would have to take it back.
            if (slot.HasOverflow)
            {
                slot.ReleasePayload();
            }
        }

        lane.Consumed.SetValue(available);
        Volatile.Write(ref _handled, _handled + handled);
        return (int)(available - next + 1);
    }

    private bool AnyClaimed()
    {
        foreach (Lane lane in _lanes)
        {
            if (lane.Sequencer.Cursor.Value > lane.Consumed.Value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The idle condition: a lane has a published envelope, or the worker was asked to stop.</summary>
    private readonly struct AnyLaneHasWork : IWaitCondition
    {
        private readonly Worker<THandler> _worker;

        public AnyLaneHasWork(Worker<THandler> worker) => _worker = worker;

        public bool IsSatisfied()
        {
            if (_worker._stopping)
            {
                return true;
            }

            foreach (Lane lane in _worker._lanes)
            {
                if (lane.HasWork)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
