using System.Diagnostics;

namespace FastAgents.Perf.Load;

/// <summary>
/// Runs the open model: sends at the intended times of a <see cref="RateSchedule"/>, whatever the target's
/// speed, and measures each send's latency from its intended time as well as from its actual start.
/// </summary>
/// <remarks>
/// <para>
/// Design: the calling thread is the generator. Each pass of its loop reads the clock once and makes every
/// send whose intended time has passed, back to back, reusing the timestamp taken at the end of one send
/// as the start of the next: at a million sends per second the sends go out in small batches at their
/// intended times instead of waiting a microsecond before each. When nothing is due it waits for the next
/// intended time (<see cref="PreciseWait"/>). Intended times come from the schedule afresh for each
/// index, so a generator that falls behind neither drifts nor skips: it catches up, counts the sends it
/// started later than <see cref="OpenModelOptions.LateThreshold"/>, and their response times (measured
/// from the intended time) show the delay. That is the coordinated-omission correction.
/// </para>
/// <para>
/// A send that completes inline is recorded by the generator without allocating. A pending one is counted
/// in flight and recorded by its completion, under a lock, on whichever thread completes it, through a pooled
/// watcher (no allocation either, once the pool has grown); when the in-flight cap is reached the sends that
/// fall due are dropped and counted, never skipped silently.
/// </para>
/// </remarks>
public static class OpenModelRunner
{
    /// <summary>Runs <paramref name="options"/> against <paramref name="target"/> on the calling thread and returns the measurements.</summary>
    /// <typeparam name="TTarget">The target; a struct or sealed class lets the JIT call it directly.</typeparam>
    public static LoadResult Run<TTarget>(TTarget target, OpenModelOptions options, CancellationToken cancellationToken = default)
        where TTarget : ILoadTarget
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LateThreshold, TimeSpan.Zero);

        RateSchedule schedule = options.Schedule.WithWarmUp(options.WarmUp);
        long warmUpTicks = StopwatchTicks.FromTimeSpan(options.WarmUp);
        long firstMeasured = schedule.CountBefore(warmUpTicks);
        long end = schedule.TotalCount;
        if (options.MaxCount is long maxCount)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
            end = Math.Min(end, firstMeasured + maxCount);
        }

        long lateTicks = StopwatchTicks.FromTimeSpan(options.LateThreshold);
        int maxInFlight = options.MaxInFlight;
        int maxBatch = options.MaxBatch;
        DateTimeOffset startedUtc = DateTimeOffset.UtcNow;
        long origin = Stopwatch.GetTimestamp();
        long measureOrigin = origin + warmUpTicks;
        var recorder = new LoadRecorder(measureOrigin);
        var pending = new PendingSends(measureOrigin);
        LoadProgress? progress = options.Progress;
        if (progress is not null)
        {
            progress.Attach(recorder);
            progress.Attach(pending.Recorder);
            progress.Begin(measureOrigin, origin + schedule.DurationTicks);
        }

        long allocatedAtStart = firstMeasured == 0 ? GC.GetTotalAllocatedBytes(precise: true) : 0;
        long lastIntended = 0;
        long lastIssued = 0;
        long now = Stopwatch.GetTimestamp();
        long i = 0;
        int batch = 0;
        while (i < end)
        {
            long intended = origin + schedule.OffsetTicks(i);
            if (intended > now)
            {
                now = PreciseWait.Until(intended, cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                batch = 0;
            }
            else if (++batch >= maxBatch)
            {
                batch = 0;
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            bool measured = i >= firstMeasured;
            if (i == firstMeasured && i != 0)
            {
                allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
                now = Stopwatch.GetTimestamp();
            }

            if (measured)
            {
                lastIntended = intended;
                lastIssued = now;
            }

            if (Volatile.Read(ref pending.InFlight) >= maxInFlight)
            {
                if (measured)
                {
                    recorder.RecordDropped(intended);
                }

                i++;
                continue;
            }

            long start = now;
            if (measured)
            {
                recorder.RecordSent(intended, start, start - intended > lateTicks);
            }

            ValueTask<bool> send;
            try
            {
                send = target.SendAsync(i, cancellationToken);
            }
            catch (Exception)
            {
                send = new ValueTask<bool>(false);
            }

            if (send.IsCompleted)
            {
                bool ok = SendOutcome.Of(send);
                now = Stopwatch.GetTimestamp();
                if (measured)
                {
                    recorder.RecordCompletion(intended, start, now, ok);
                }
            }
            else
            {
                pending.Start(send, intended, start, measured);
                now = Stopwatch.GetTimestamp();
            }

            i++;
        }

        progress?.Drain();
        long unfinished = pending.Drain(StopwatchTicks.FromTimeSpan(options.DrainTimeout));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedAtStart - recorder.OwnAllocatedBytes - pending.Recorder.OwnAllocatedBytes;
        progress?.Finish();
        recorder.Add(pending.Recorder);

        // The measured window the schedule set ends where the first send not made would have been.
        long windowEnd = origin + (i < schedule.TotalCount ? schedule.OffsetTicks(i) : schedule.DurationTicks);
        long window = Math.Max(0, windowEnd - measureOrigin);
        long issued = Math.Max(0, i - firstMeasured);
        long lag = issued > 0 ? Math.Max(0, lastIssued - lastIntended) : 0;
        double offered = window > 0 ? issued / StopwatchTicks.ToSeconds(window) : 0;
        double achieved = window + lag > 0 ? issued / StopwatchTicks.ToSeconds(window + lag) : 0;
        long elapsed = Math.Max(window + lag, recorder.LastCompletion - measureOrigin);
        List<TimelineSecond> timeline = recorder.Timeline();
        double worstSecond = 0;
        long wholeSeconds = window / StopwatchTicks.Frequency;
        for (int s = 0; s < timeline.Count && s < wholeSeconds; s++)
        {
            if (timeline[s].Sent > 0)
            {
                worstSecond = Math.Max(worstSecond, Math.Abs(timeline[s].Started - timeline[s].Sent) / (double)timeline[s].Sent);
            }
        }

        return new LoadResult
        {
            Model = LoadModel.Open,
            Profile = options.WarmUp > TimeSpan.Zero
                ? $"open: {options.Schedule} (after {options.WarmUp.TotalSeconds:0.###} s of warm-up)"
                : $"open: {options.Schedule}",
            StartedUtc = startedUtc,
            WarmUp = options.WarmUp,
            Elapsed = StopwatchTicks.ToTimeSpan(elapsed),
            Response = recorder.Response,
            Service = recorder.Service,
            SendLag = recorder.SendLag,
            Timeline = timeline,
            Issued = issued,
            Sent = recorder.Sent,
            Dropped = recorder.Dropped,
            Late = recorder.Late,
            Ok = recorder.Ok,
            Fail = recorder.Fail,
            Unfinished = unfinished,
            OfferedRate = offered,
            AchievedRate = achieved,
            GeneratorError = offered > 0 ? Math.Abs(achieved - offered) / offered : 0,
            WorstSecondError = worstSecond,
            AllocatedBytes = allocated,
        };
    }

    /// <summary>
    /// Sends that did not complete inline: counted in flight and recorded, under a lock, by whichever thread
    /// completes them. Each is watched by a pooled <see cref="PendingSend"/> whose continuation is a cached
    /// delegate, so a pending send allocates nothing once the pool has grown to the number in flight.
    /// </summary>
    private sealed class PendingSends
    {
        // Touched by the generator and by completions on any thread.
        public int InFlight;

        private readonly Lock _gate = new();
        private readonly Stack<PendingSend> _free = new();
        private bool _closed;

        public PendingSends(long measureOrigin) => Recorder = new LoadRecorder(measureOrigin);

        /// <summary>Read only after <see cref="Drain"/> has closed recording.</summary>
        public LoadRecorder Recorder { get; }

        /// <summary>Counts <paramref name="send"/> in flight and records it when it completes.</summary>
        /// <remarks>
        /// It looks at the send once more when it has a watcher: a completion source that is already complete when a
        /// continuation is registered queues it to the thread pool, which allocates a work item and costs a hop. A
        /// send that completed meanwhile is recorded here, on the generator thread; the window left is the
        /// registration itself.
        /// </remarks>
        public void Start(ValueTask<bool> send, long intended, long start, bool measured)
        {
            PendingSend? watcher;
            lock (_gate)
            {
                _free.TryPop(out watcher);
            }

            watcher ??= new PendingSend(this);
            if (send.IsCompleted)
            {
                bool ok = SendOutcome.Of(send);
                long end = Stopwatch.GetTimestamp();
                lock (_gate)
                {
                    if (measured && !_closed)
                    {
                        Recorder.RecordCompletion(intended, start, end, ok);
                    }

                    _free.Push(watcher);
                }

                return;
            }

            Interlocked.Increment(ref InFlight);
            watcher.Watch(send, intended, start, measured);
        }

        /// <summary>Records a completion and takes the watcher back.</summary>
        public void Complete(PendingSend watcher, long intended, long start, long end, bool measured, bool ok)
        {
            lock (_gate)
            {
                if (measured && !_closed)
                {
                    Recorder.RecordCompletion(intended, start, end, ok);
                }

                _free.Push(watcher);
            }

            Interlocked.Decrement(ref InFlight);
        }

        /// <summary>Waits for sends in flight up to <paramref name="timeoutTicks"/>, then stops recording; returns how many were left.</summary>
        public long Drain(long timeoutTicks)
        {
            long deadline = Stopwatch.GetTimestamp() + timeoutTicks;
            var spinner = default(SpinWait);
            while (Volatile.Read(ref InFlight) > 0 && Stopwatch.GetTimestamp() < deadline)
            {
                spinner.SpinOnce(sleep1Threshold: 20);
            }

            lock (_gate)
            {
                _closed = true;
                return Volatile.Read(ref InFlight);
            }
        }
    }

    /// <summary>Watches one pending send at a time and reports its completion to its <see cref="PendingSends"/>.</summary>
    private sealed class PendingSend
    {
        private readonly PendingSends _owner;
        private readonly Action _onCompleted;
        private ValueTask<bool> _send;
        private long _intended;
        private long _start;
        private bool _measured;

        public PendingSend(PendingSends owner)
        {
            _owner = owner;
            _onCompleted = OnCompleted;
        }

        public void Watch(ValueTask<bool> send, long intended, long start, bool measured)
        {
            _send = send;
            _intended = intended;
            _start = start;
            _measured = measured;

            // UnsafeOnCompleted captures no execution context, and a task backed by an IValueTaskSource is handed
            // the cached delegate as its state: registering allocates nothing.
            send.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCompleted);
        }

        private void OnCompleted()
        {
            ValueTask<bool> send = _send;
            _send = default;
            bool ok = SendOutcome.Of(send);
            long end = Stopwatch.GetTimestamp();

            // The arguments are copied before the watcher goes back to the pool and is reused.
            _owner.Complete(this, _intended, _start, end, _measured, ok);
        }
    }
}
