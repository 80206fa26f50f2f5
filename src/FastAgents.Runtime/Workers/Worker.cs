using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using FastAgents.Rings;
using FastAgents.Runtime.Envelopes;

namespace FastAgents.Runtime.Internal;

/// <summary>
/// One worker thread and the agents placed on it. Its inbox is one lane per (priority, source): a multi-producer
/// lane for sends from outside any worker, and a single-producer lane owned by each worker (itself included), so
/// agent-to-agent traffic never contends on a claim. The worker drains lanes from high priority to low, each up
/// to its quota per pass, and publishes what its own agents sent at the end of each pass (or every
/// <see cref="RuntimeOptions.PublishBatch"/> envelopes), so consumers see envelopes in batches.
/// </summary>
internal sealed class Worker
{
    private readonly AgentRuntime _runtime;
    private readonly RuntimeOptions _options;
    private readonly Lane[][] _lanes;
    private readonly int[] _quotas;
    private readonly SpinThenParkWait _wait;
    private readonly ConcurrentQueue<AgentCell> _starts = new();
    private readonly Thread _thread;
    private Lane[] _outLanes = [];
    private Lane[] _dirty = [];
    private int _dirtyCount;
    private AgentCell? _lastCell;
    private ulong _messageIds;
    private long _heartbeatMs;
    private volatile bool _waiting;
    private volatile bool _exit;
    private readonly int _publishBatch;
    private readonly bool _stampTimestamps;
    private readonly bool _propagateTrace;
    private int _sample;
    private int _startsPending;
    private int _threadId = -1;
    private long _handled;
    private long _sent;
    private long _faults;

    public Worker(AgentRuntime runtime, int index, int workerCount)
    {
        _runtime = runtime;
        _options = runtime.Options;
        _wait = new SpinThenParkWait(_options.IdleSpin, _options.IdleYield);
        Index = index;
        _quotas = [.. _options.LaneQuotas];
        _publishBatch = _options.PublishBatch;
        _stampTimestamps = _options.StampTimestamps;
        _propagateTrace = _options.PropagateTraceContext;
        _lanes = new Lane[_quotas.Length][];
        for (int p = 0; p < _lanes.Length; p++)
        {
            _lanes[p] = new Lane[workerCount + 1];
            for (int source = 0; source <= workerCount; source++)
            {
                _lanes[p][source] = new Lane(_options.LaneCapacity, singleProducer: source != 0, _wait, p, source, index);
            }
        }

        Context = new AgentContext(runtime, this);
        _heartbeatMs = Environment.TickCount64;
        _thread = new Thread(Run) { IsBackground = true, Name = $"{_options.Name}-worker-{index}" };
    }

    public int Index { get; }

    public AgentContext Context { get; }

    public int AgentCount;

    /// <summary>The id of the agent being handled right now, 0 when none (racy read for status and balancing).</summary>
    public ulong Current;

    public long Handled => Volatile.Read(ref _handled);

    public long Sent => Volatile.Read(ref _sent);

    public long Faults => Volatile.Read(ref _faults);

    public bool IsWaiting => _waiting;

    /// <summary>Slots claimed in this worker's lanes by senders outside the workers.</summary>
    public long ExternalClaims
    {
        get
        {
            long total = 0;
            foreach (Lane[] lanes in _lanes)
            {
                total += lanes[0].Sequencer.Cursor.Value + 1;
            }

            return total;
        }
    }

    public bool HasEnded => !_thread.IsAlive;

    public long LastHeartbeatMs => _waiting ? _runtime.NowMs : Volatile.Read(ref _heartbeatMs);

    public bool IsUnresponsive(long nowMs) => !_waiting && nowMs - Volatile.Read(ref _heartbeatMs) > (long)_options.HeartbeatTimeout.TotalMilliseconds;

    /// <summary>Links this worker's outgoing single-producer lanes in every worker (called once, before start).</summary>
    public void Connect(Worker[] workers)
    {
        _outLanes = new Lane[workers.Length * _quotas.Length];
        for (int w = 0; w < workers.Length; w++)
        {
            for (int p = 0; p < _quotas.Length; p++)
            {
                _outLanes[(w * _quotas.Length) + p] = workers[w]._lanes[p][Index + 1];
            }
        }

        _dirty = new Lane[_outLanes.Length];
    }

    public void Start()
    {
        _thread.Start();
        _threadId = _thread.ManagedThreadId;
    }

    public Lane ExternalLane(Priority priority) => _lanes[(int)priority][0];

    public long QueueDepth
    {
        get
        {
            long depth = 0;
            foreach (Lane[] lanes in _lanes)
            {
                foreach (Lane lane in lanes)
                {
                    depth += lane.Depth;
                }
            }

            return depth;
        }
    }

    public void Wake() => _wait.SignalAllWhenBlocking();

    public void ScheduleStart(AgentCell cell)
    {
        _starts.Enqueue(cell);
        Interlocked.Increment(ref _startsPending);
        Wake();
    }

    public void Exit()
    {
        _exit = true;
        Wake();
    }

    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    /// <summary>True when a lane holds an envelope that is claimed (published or not) and not yet handled.</summary>
    public bool AnyClaimed()
    {
        foreach (Lane[] lanes in _lanes)
        {
            foreach (Lane lane in lanes)
            {
                if (lane.Sequencer.Cursor.Value > lane.Consumed.Value)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>After the thread has ended: dead-letters every envelope left in the lanes; returns how many.</summary>
    public long DeadLetterLeftovers()
    {
        long count = 0;
        foreach (Lane[] lanes in _lanes)
        {
            foreach (Lane lane in lanes)
            {
                long cursor = lane.Sequencer.Cursor.Value;
                for (long s = lane.Consumed.Value + 1; s <= cursor; s++)
                {
                    if (lane.Sequencer.IsAvailable(s) && lane.Header(s).Kind != MessageKind.None)
                    {
                        _runtime.DeadLetters.Post(DeadLetterReason.ShuttingDown, lane.CopyFrame(s), null);
                        count++;
                    }

                    lane.ReleaseOverflow(s);
                }

                lane.Consumed.SetValue(cursor);
            }
        }

        return count;
    }

    // ---- sending from this worker's agents -------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextMessageId() => ((ulong)(Index + 1) << 44) | ++_messageIds;

    /// <summary>
    /// Writes an envelope into this worker's lane in <paramref name="target"/>'s worker. It is published at the end
    /// of the pass, or sooner once <see cref="RuntimeOptions.PublishBatch"/> are pending in that lane.
    /// </summary>
    public SendStatus Send<T>(AgentCell target, MessageKind kind, Priority priority, ulong correlationId, in T payload, Backpressure backpressure)
    {
        if (Volatile.Read(ref target.State) != AgentCell.Running && kind != MessageKind.Stop)
        {
            return _runtime.Refuse(target.Id, kind, priority, correlationId, Context.Self, in payload, DeadLetterReason.AgentStopped, SendStatus.Stopped);
        }

        Lane lane = _outLanes[(target.WorkerIndex * _quotas.Length) + (int)priority];
        if (!lane.Single!.TryNext(out long sequence) && !ClaimSlow(lane, target, backpressure, out sequence))
        {
            return _runtime.OnFull(target.Id, kind, priority, correlationId, Context.Self, in payload, backpressure);
        }

        ref byte slot = ref lane.Slot(sequence);
        ref EnvelopeHeader header = ref Unsafe.As<byte, EnvelopeHeader>(ref slot);
        header.Version = EnvelopeHeader.CurrentVersion;
        header.Kind = kind;
        header.Priority = (byte)priority;
        header.MessageId = NextMessageId();
        header.CorrelationId = correlationId;
        header.Sender = Context.Self;
        header.Target = target.Id;
        header.Timestamp = _stampTimestamps ? AgentRuntime.UnixNanoseconds() : 0;
        if (Context.IsTraced && _propagateTrace)
        {
            header.Flags = EnvelopeFlags.Traced;
            Unsafe.As<byte, TraceSection>(ref Unsafe.Add(ref slot, EnvelopeHeader.Size)) = Context.TraceSection;
        }
        else
        {
            header.Flags = EnvelopeFlags.None;
        }

        if (!LaneWriter.TryWriteRaw(ref slot, ref header, in payload))
        {
            try
            {
                LaneWriter.WriteSerialized(lane, sequence, ref header, in payload, _options.MaxPayload);
            }
            catch
            {
                header.Kind = MessageKind.None; // a void slot: the consumer skips it
                Pend(lane, sequence);
                throw;
            }
        }

        target.CountWorkerSend(Index);
        _sent++;
        Pend(lane, sequence);
        return SendStatus.Sent;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Pend(Lane lane, long sequence)
    {
        ref Lane.ProducerFields producer = ref lane.Producer;
        producer.PendingHigh = sequence;
        if (!producer.Dirty)
        {
            producer.Dirty = true;
            _dirty[_dirtyCount++] = lane;
        }
        else if (sequence - producer.PublishedHigh >= _publishBatch)
        {
            producer.PublishedHigh = sequence;
            lane.Sequencer.Publish(sequence);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ClaimSlow(Lane lane, AgentCell target, Backpressure backpressure, out long sequence)
    {
        // Our own unpublished claims may be what fills the lane: publish them first.
        Flush();
        if (lane.Sequencer.TryNext(out sequence))
        {
            return true;
        }

        // A worker cannot wait on a lane only it could empty.
        if (backpressure != Backpressure.Wait || target.Worker == this)
        {
            return false;
        }

        return AgentRuntime.WaitForRoom(lane, _options.SendTimeout, out sequence);
    }

    /// <summary>Publishes every envelope this worker's agents have written into other lanes.</summary>
    public void Flush()
    {
        for (int i = 0; i < _dirtyCount; i++)
        {
            Lane lane = _dirty[i];
            ref Lane.ProducerFields producer = ref lane.Producer;
            producer.Dirty = false;
            producer.PublishedHigh = producer.PendingHigh;
            lane.Sequencer.Publish(producer.PendingHigh);
        }

        _dirtyCount = 0;
    }

    // ---- the loop ----------------------------------------------------------------------------------------------

    // The loop is entered once and never returns while the runtime lives: compile it fully optimized at once
    // rather than leave it in tier-0 code until on-stack replacement catches up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run()
    {
        if (_options.PinWorkers)
        {
            ThreadAffinity.TryPinCurrentThread(Index % Environment.ProcessorCount);
        }

        var hasWork = new HasWork(this);
        while (true)
        {
            long now = _runtime.NowMs;
            if (now != _heartbeatMs)
            {
                Volatile.Write(ref _heartbeatMs, now);
            }

            if (Volatile.Read(ref _startsPending) != 0)
            {
                RunStarts();
            }

            int taken = 0;
            for (int p = 0; p < _lanes.Length && !_exit; p++)
            {
                Lane[] lanes = _lanes[p];
                int quota = _quotas[p];
                for (int i = 0; i < lanes.Length; i++)
                {
                    taken += Drain(lanes[i], quota);
                }
            }

            Flush();
            if (_exit)
            {
                return;
            }

            if (taken == 0)
            {
                _waiting = true;
                _wait.WaitUntil(ref hasWork);
                Volatile.Write(ref _heartbeatMs, _runtime.NowMs); // before clearing the flag: never briefly stale
                _waiting = false;
            }
        }
    }

    private void RunStarts()
    {
        while (_starts.TryDequeue(out AgentCell? cell))
        {
            Interlocked.Decrement(ref _startsPending);
            if (!cell.Started && Volatile.Read(ref cell.State) is AgentCell.Running or AgentCell.Stopping)
            {
                StartInstance(cell);
                CompleteStopIfDrained(cell);
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

        for (long s = next; s <= available; s++)
        {
            if (_exit)
            {
                // The runtime has given up on this worker: what is left is counted as undelivered, not run.
                lane.Consumed.SetValue(s - 1);
                return (int)(s - next);
            }

            Dispatch(lane, s);
        }

        lane.Consumed.SetValue(available);
        return (int)(available - next + 1);
    }

    private void Dispatch(Lane lane, long sequence)
    {
        ref EnvelopeHeader header = ref lane.Header(sequence);
        if (header.Kind == MessageKind.None)
        {
            lane.ReleaseOverflow(sequence);
            return;
        }

        AgentCell? cell = _lastCell;
        if (cell is null || cell.Id != header.Target || cell.State == AgentCell.Stopped)
        {
            cell = _runtime.Find(header.Target);
            if (cell is null || cell.Worker != this)
            {
                _runtime.DeadLetters.Post(DeadLetterReason.NoSuchAgent, lane.CopyFrame(sequence), null);
                ReleaseIfOverflow(lane, sequence, in header);
                return;
            }

            _lastCell = cell;
        }

        cell.Stats.Processed++;
        int state = cell.State;
        if (state == AgentCell.Stopped)
        {
            _runtime.DeadLetters.Post(DeadLetterReason.AgentStopped, lane.CopyFrame(sequence), null);
        }
        else
        {
            if (!cell.Started)
            {
                StartInstance(cell);
            }

            if (header.Kind == MessageKind.Stop)
            {
                BeginStop(cell);
            }
            else
            {
                Invoke(cell, lane, sequence, ref header);
            }

            CompleteStopIfDrained(cell);
        }

        ReleaseIfOverflow(lane, sequence, in header);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReleaseIfOverflow(Lane lane, long sequence, in EnvelopeHeader header)
    {
        // Inline payloads need nothing: writing to the slot here would pull its line to this core for nothing.
        if ((header.Flags & EnvelopeFlags.Overflow) != 0)
        {
            lane.ReleaseOverflow(sequence);
        }
    }

    private void Invoke(AgentCell cell, Lane lane, long sequence, ref EnvelopeHeader header)
    {
        MessageInvoker? invoker = cell.Instance.Handlers.Find(header.PayloadType);
        if (invoker is null)
        {
            _runtime.DeadLetters.Post(DeadLetterReason.NoHandler, lane.CopyFrame(sequence), null);
            return;
        }

        AgentContext context = Context;
        context.Begin(cell.Id, lane, sequence, ref header);
        Current = cell.Id.Value;
        long started = 0;
        bool timed = _runtime.Metrics.HandlerTimeEnabled && (++_sample & 63) == 0;
        if (timed)
        {
            started = Stopwatch.GetTimestamp();
        }

        Activity? activity = header.IsTraced ? AgentRuntime.StartHandleActivity(lane, sequence, in header) : null;
        try
        {
            invoker.Invoke(lane.Payload(sequence, in header), context);
            cell.Stats.Handled++;
            _handled++;
            if (cell.RetryAttempts is { Count: > 0 } attempts)
            {
                attempts.Remove(header.MessageId);
            }
        }
        catch (MalformedPayloadException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            _runtime.DeadLetters.Post(DeadLetterReason.MalformedPayload, lane.CopyFrame(sequence), ex);
        }
#pragma warning disable CA1031 // A handler fault must never end the worker: supervision decides what happens.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            OnFault(cell, lane, sequence, in header, ex);
        }
        finally
        {
            activity?.Dispose();
            Current = 0;
            context.End();
            if (timed)
            {
                _runtime.Metrics.RecordHandlerTime(Stopwatch.GetElapsedTime(started));
            }
        }
    }

    private void OnFault(AgentCell cell, Lane lane, long sequence, in EnvelopeHeader header, Exception exception)
    {
        cell.Stats.Faults++;
        _faults++;
        Volatile.Write(ref cell.LastError, exception);
        SupervisionPolicy policy = cell.Options.Supervision;
        SupervisionDirective directive = policy.Directive;
        if (directive == SupervisionDirective.Retry)
        {
            Dictionary<ulong, int> attempts = cell.RetryAttempts ??= [];
            int attempt = attempts.GetValueOrDefault(header.MessageId, 1);
            if (attempt < policy.MaxAttempts)
            {
                attempts[header.MessageId] = attempt + 1;
                _runtime.ScheduleRetry(lane.CopyFrame(sequence), policy.BackoffBefore(attempt + 1));
                return;
            }

            attempts.Remove(header.MessageId);
            directive = policy.AfterRetries;
        }

        _runtime.DeadLetters.Post(DeadLetterReason.HandlerFailed, lane.CopyFrame(sequence), exception);
        switch (directive)
        {
            case SupervisionDirective.Restart:
                Restart(cell);
                break;
            case SupervisionDirective.Stop:
                Interlocked.Exchange(ref cell.State, AgentCell.Stopping);
                CompleteStop(cell);
                break;
        }
    }

    private void Restart(AgentCell cell)
    {
        try
        {
            cell.Instance = cell.NewInstance();
            cell.Started = false;
            StartInstance(cell);
        }
#pragma warning disable CA1031 // A factory or OnStart that fails stops the agent instead of the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref cell.LastError, ex);
            Interlocked.Exchange(ref cell.State, AgentCell.Stopping);
            CompleteStop(cell);
        }
    }

    private void StartInstance(AgentCell cell)
    {
        cell.Started = true;
        AgentContext context = Context;
        context.Begin(cell.Id);
        try
        {
            cell.Instance.Agent.OnStart(context);
        }
#pragma warning disable CA1031 // OnStart faults are the agent's, counted like handler faults.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            cell.Stats.Faults++;
            Volatile.Write(ref cell.LastError, ex);
        }
        finally
        {
            context.End();
        }
    }

    private static void BeginStop(AgentCell cell) => Interlocked.CompareExchange(ref cell.State, AgentCell.Stopping, AgentCell.Running);

    /// <summary>
    /// Ends a stopping agent: OnStop, then deregistration and failing the asks waiting on it, and only then the
    /// Stopped state, so that its id cannot be spawned again while any of that is still going on.
    /// </summary>
    private void CompleteStop(AgentCell cell)
    {
        if (Interlocked.CompareExchange(ref cell.State, AgentCell.Ending, AgentCell.Stopping) != AgentCell.Stopping)
        {
            return;
        }

        AgentContext context = Context;
        context.Begin(cell.Id);
        try
        {
            cell.Instance.Agent.OnStop(context);
        }
#pragma warning disable CA1031 // OnStop faults are recorded; the agent is stopped either way.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref cell.LastError, ex);
        }
        finally
        {
            context.End();
        }

        Interlocked.Decrement(ref AgentCount);
        _runtime.OnStopped(cell);
        Volatile.Write(ref cell.State, AgentCell.Stopped);
    }

    /// <summary>Completes the stop of an agent that has nothing left in its inbox.</summary>
    private void CompleteStopIfDrained(AgentCell cell)
    {
        if (Volatile.Read(ref cell.State) == AgentCell.Stopping && cell.Backlog == 0)
        {
            CompleteStop(cell);
        }
    }

    /// <summary>True on this worker's own thread.</summary>
    public bool IsCurrentThread => Environment.CurrentManagedThreadId == _threadId;

    /// <summary>
    /// Stops an agent of this worker from this worker's thread (StopSelf, or Stop called from a handler): no
    /// envelope through its own inbox, which might be full and which only this thread could empty.
    /// </summary>
    public void StopOnThisThread(AgentCell cell)
    {
        BeginStop(cell);
        if (Current != cell.Id.Value)
        {
            CompleteStopIfDrained(cell);
        }

        // Otherwise the dispatch of the current message completes it when the handler returns.
    }

    private bool AnyWork()
    {
        if (_exit || Volatile.Read(ref _startsPending) != 0)
        {
            return true;
        }

        foreach (Lane[] lanes in _lanes)
        {
            foreach (Lane lane in lanes)
            {
                if (lane.HasWork)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private readonly struct HasWork(Worker worker) : IWaitCondition
    {
        public bool IsSatisfied() => worker.AnyWork();
    }
}
