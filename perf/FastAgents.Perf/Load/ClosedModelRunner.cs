using System.Diagnostics;

namespace FastAgents.Perf.Load;

/// <summary>
/// Runs the closed model: <see cref="ClosedModelOptions.Concurrency"/> senders, each a thread that makes
/// its next send when its previous one completed and its think time passed. The offered rate is whatever
/// the target sustains, so latency is measured from each send's actual start (service time).
/// </summary>
/// <remarks>
/// Each sender records into its own <see cref="LoadRecorder"/>; they are merged when every sender has
/// stopped. A sender waits for a pending send by blocking its own thread, which keeps it one send at a
/// time without a thread-pool thread per sender. Sends started during the warm-up are made but not counted.
/// </remarks>
public static class ClosedModelRunner
{
    /// <summary>Runs <paramref name="options"/> against <paramref name="target"/> and returns the measurements; blocks until done.</summary>
    /// <typeparam name="TTarget">The target; it is called from every sender thread at once.</typeparam>
    public static LoadResult Run<TTarget>(TTarget target, ClosedModelOptions options, CancellationToken cancellationToken = default)
        where TTarget : ILoadTarget
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ThinkTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WarmUp, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Duration, TimeSpan.Zero);

        DateTimeOffset startedUtc = DateTimeOffset.UtcNow;
        long origin = Stopwatch.GetTimestamp();
        var run = new SenderGroup<TTarget>(
            target,
            origin + StopwatchTicks.FromTimeSpan(options.WarmUp),
            origin + StopwatchTicks.FromTimeSpan(options.WarmUp + options.Duration),
            options.MaxCount ?? long.MaxValue,
            StopwatchTicks.FromTimeSpan(options.ThinkTime),
            options.Progress,
            cancellationToken);
        options.Progress?.Begin(run.MeasureStart, run.MeasureEnd);

        var threads = new Thread[options.Concurrency];
        for (int s = 0; s < threads.Length; s++)
        {
            threads[s] = new Thread(run.Send) { IsBackground = true, Name = $"load sender {s}" };
            threads[s].Start(s);
        }

        // Made before the measured window: its histograms are the engine's, not the target's, allocation.
        var merged = new LoadRecorder(run.MeasureStart);
        PreciseWait.Until(run.MeasureStart, cancellationToken);
        long allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);

        long joinDeadline = run.MeasureEnd + StopwatchTicks.FromTimeSpan(options.DrainTimeout);
        long unfinished = 0;
        foreach (Thread thread in threads)
        {
            long left = Math.Max(0, joinDeadline - Stopwatch.GetTimestamp());
            if (!thread.Join(StopwatchTicks.ToTimeSpan(left)))
            {
                unfinished++;
            }
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedAtStart;
        run.Close();
        options.Progress?.Finish();
        foreach (LoadRecorder recorder in run.Recorders)
        {
            allocated -= recorder.OwnAllocatedBytes;
            merged.Add(recorder);
        }

        long elapsed = Math.Max(Math.Min(run.MeasureEnd, run.StoppedAt) - run.MeasureStart, merged.LastCompletion - run.MeasureStart);
        double seconds = StopwatchTicks.ToSeconds(Math.Max(1, elapsed));
        string think = options.ThinkTime > TimeSpan.Zero ? $", {options.ThinkTime.TotalMilliseconds:0.###} ms think time" : string.Empty;
        string warm = options.WarmUp > TimeSpan.Zero ? $" (after {options.WarmUp.TotalSeconds:0.###} s of warm-up)" : string.Empty;
        return new LoadResult
        {
            Model = LoadModel.Closed,
            Profile = $"closed: {options.Concurrency} sender(s){think} for {options.Duration.TotalSeconds:0.###} s{warm}",
            StartedUtc = startedUtc,
            WarmUp = options.WarmUp,
            Elapsed = StopwatchTicks.ToTimeSpan(Math.Max(0, elapsed)),
            Response = merged.Response,
            Service = merged.Service,
            SendLag = merged.SendLag,
            Timeline = merged.Timeline(),
            Issued = merged.Sent,
            Sent = merged.Sent,
            Dropped = 0,
            Late = 0,
            Ok = merged.Ok,
            Fail = merged.Fail,
            Unfinished = unfinished,
            OfferedRate = merged.Sent / seconds,
            AchievedRate = merged.Sent / seconds,
            GeneratorError = 0,
            WorstSecondError = 0,
            AllocatedBytes = allocated,
        };
    }

    private sealed class SenderGroup<TTarget>
        where TTarget : ILoadTarget
    {
        private readonly TTarget _target;
        private readonly long _maxCount;
        private readonly long _thinkTicks;
        private readonly CancellationToken _cancellationToken;
        private readonly LoadProgress? _progress;
        private readonly Lock _gate = new();
        private readonly List<LoadRecorder> _recorders = [];
        private long _claimed;
        private long _sequence = -1;
        private long _stoppedAt = long.MaxValue;
        private bool _closed;

        public SenderGroup(TTarget target, long measureStart, long measureEnd, long maxCount, long thinkTicks, LoadProgress? progress, CancellationToken cancellationToken)
        {
            _progress = progress;
            _target = target;
            MeasureStart = measureStart;
            MeasureEnd = measureEnd;
            _maxCount = maxCount;
            _thinkTicks = thinkTicks;
            _cancellationToken = cancellationToken;
        }

        public long MeasureStart { get; }

        public long MeasureEnd { get; }

        /// <summary>When the first sender stopped before the planned end (count reached or cancelled), or <see cref="long.MaxValue"/>.</summary>
        public long StoppedAt => Volatile.Read(ref _stoppedAt);

        /// <summary>Only read after <see cref="Close"/>.</summary>
        public List<LoadRecorder> Recorders => _recorders;

        public void Close()
        {
            lock (_gate)
            {
                _closed = true;
            }
        }

        public void Send(object? state)
        {
            var recorder = new LoadRecorder(MeasureStart);
            _progress?.Attach(recorder);
            using var waiter = new SendWaiter();
            long now = Stopwatch.GetTimestamp();
            while (now < MeasureEnd && !_cancellationToken.IsCancellationRequested)
            {
                bool measured = now >= MeasureStart;
                if (measured && Interlocked.Increment(ref _claimed) > _maxCount)
                {
                    break;
                }

                long start = now;
                bool ok;
                try
                {
                    ValueTask<bool> send = _target.SendAsync(Interlocked.Increment(ref _sequence), _cancellationToken);
                    ok = send.IsCompleted ? SendOutcome.Of(send) : waiter.Wait(send);
                }
                catch (Exception)
                {
                    ok = false;
                }

                now = Stopwatch.GetTimestamp();
                if (measured)
                {
                    recorder.RecordSent(start, start, late: false);
                    recorder.RecordCompletion(start, start, now, ok);
                }

                if (_thinkTicks > 0)
                {
                    now = PreciseWait.Until(now + _thinkTicks, _cancellationToken);
                }
            }

            if (now < MeasureEnd)
            {
                // Stopped early (count reached or cancelled): the window ends here, not at its planned end.
                Interlocked.CompareExchange(ref _stoppedAt, now, long.MaxValue);
            }

            lock (_gate)
            {
                // A sender that outlived the drain timeout is counted as unfinished and its figures are left out.
                if (!_closed)
                {
                    _recorders.Add(recorder);
                }
            }
        }
    }

    /// <summary>
    /// Blocks a sender until its pending send completes, without turning the task into a <see cref="Task"/>: one
    /// event and one cached delegate per sender, so waiting allocates nothing.
    /// </summary>
    private sealed class SendWaiter : IDisposable
    {
        private readonly ManualResetEventSlim _done = new();
        private readonly Action _signal;

        public SendWaiter() => _signal = _done.Set;

        public bool Wait(ValueTask<bool> send)
        {
            _done.Reset();
            send.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_signal);
            _done.Wait();
            return SendOutcome.Of(send);
        }

        public void Dispose() => _done.Dispose();
    }
}
