namespace FastAgents.Perf.Load;

/// <summary>
/// Counts and histograms of one recording context (the generator thread, one closed-model sender, or the
/// lock-guarded context of asynchronous completions). Not thread-safe: contexts are merged with
/// <see cref="Add"/> once recording has stopped. Times are <see cref="System.Diagnostics.Stopwatch"/> timestamps.
/// </summary>
/// <remarks>
/// One writer at a time; a <see cref="LoadProgress"/> may read the counters from another thread while it
/// writes (plain 64-bit stores, read with <c>Volatile.Read</c>: a count seen late by one
/// refresh is all a progress line can suffer). The histograms are never read while being written: the
/// writer itself publishes the 99th percentile of each second it has finished with.
/// </remarks>
internal sealed class LoadRecorder
{
    // A day of per-second rows at most; later seconds fold into the last row.
    private const int MaxTimelineSeconds = 86_400;

    // Per-second histograms are coarse (1/64 relative error, up to about 18 minutes): one per second of run.
    private const long SlotHistogramHighest = 1L << 40;
    private const int SlotHistogramBits = 7;

    // Packs (second << 40) | p99 nanoseconds (capped) into one long, so a reader sees a consistent pair.
    private const int ProgressSecondShift = 40;
    private const long ProgressP99Mask = (1L << ProgressSecondShift) - 1;

    private readonly List<Slot> _timeline = [];
    private readonly long _origin;
    private long _sent;
    private long _dropped;
    private long _late;
    private long _ok;
    private long _fail;
    private bool _publishProgress;
    private int _completionSecond = -1;
    private long _lastSecondP99 = -1;

    public LoadRecorder(long origin) => _origin = origin;

    /// <summary>Response time: completion minus intended time (open model), or minus start (closed model).</summary>
    public LogLinearHistogram Response { get; } = new();

    /// <summary>Service time: completion minus the actual start of the send.</summary>
    public LogLinearHistogram Service { get; } = new();

    /// <summary>How late each send started against its intended time (open model).</summary>
    public LogLinearHistogram SendLag { get; } = new();

    public long Sent => _sent;

    public long Dropped => _dropped;

    public long Late => _late;

    public long Ok => _ok;

    public long Fail => _fail;

    public long LastCompletion { get; private set; }

    /// <summary>Bytes this recorder allocated for its timeline (one histogram per second), left out of bytes per message.</summary>
    public long OwnAllocatedBytes { get; private set; }

    /// <summary>Makes the recorder publish each finished second's p99 for <see cref="LoadProgress"/> (before recording starts).</summary>
    public void EnableProgress() => _publishProgress = true;

    /// <summary>Counters as another thread sees them now: (sent, dropped, late, ok, fail).</summary>
    public (long Sent, long Dropped, long Late, long Ok, long Fail) ReadCounters() =>
        (Volatile.Read(ref _sent), Volatile.Read(ref _dropped), Volatile.Read(ref _late), Volatile.Read(ref _ok), Volatile.Read(ref _fail));

    /// <summary>The latest second this recorder finished with and its p99 in nanoseconds, or (-1, 0) before the first.</summary>
    public (int Second, long P99Nanoseconds) ReadLastSecondP99()
    {
        long packed = Volatile.Read(ref _lastSecondP99);
        return packed < 0 ? (-1, 0) : ((int)(packed >> ProgressSecondShift), packed & ProgressP99Mask);
    }

    public void RecordSent(long intended, long start, bool late)
    {
        _sent++;
        SendLag.Record(StopwatchTicks.ToNanoseconds(start - intended));
        Slot slot = SlotAt(intended);
        slot.Sent++;
        SlotAt(start).Started++;
        if (late)
        {
            _late++;
            slot.Late++;
        }
    }

    public void RecordDropped(long intended)
    {
        _dropped++;
        SlotAt(intended).Dropped++;
    }

    public void RecordCompletion(long intended, long start, long end, bool ok)
    {
        long response = StopwatchTicks.ToNanoseconds(end - intended);
        Response.Record(response);
        Service.Record(StopwatchTicks.ToNanoseconds(end - start));
        int second = SecondOf(end);
        if (_publishProgress && second > _completionSecond)
        {
            PublishSecond(second);
        }

        Slot slot = SlotAtSecond(second);
        slot.Latency.Record(response);
        if (ok)
        {
            _ok++;
            slot.Ok++;
        }
        else
        {
            _fail++;
            slot.Fail++;
        }

        if (end > LastCompletion)
        {
            LastCompletion = end;
        }
    }

    public void Add(LoadRecorder other)
    {
        Response.Add(other.Response);
        Service.Add(other.Service);
        SendLag.Add(other.SendLag);
        _sent += other._sent;
        _dropped += other._dropped;
        _late += other._late;
        _ok += other._ok;
        _fail += other._fail;
        LastCompletion = Math.Max(LastCompletion, other.LastCompletion);
        for (int s = 0; s < other._timeline.Count; s++)
        {
            Slot mine = SlotAtSecond(s);
            Slot theirs = other._timeline[s];
            mine.Sent += theirs.Sent;
            mine.Started += theirs.Started;
            mine.Dropped += theirs.Dropped;
            mine.Late += theirs.Late;
            mine.Ok += theirs.Ok;
            mine.Fail += theirs.Fail;
            mine.Latency.Add(theirs.Latency);
        }
    }

    /// <summary>One row per second from the origin to the last second that saw anything.</summary>
    public List<TimelineSecond> Timeline()
    {
        var rows = new List<TimelineSecond>(_timeline.Count);
        for (int s = 0; s < _timeline.Count; s++)
        {
            Slot slot = _timeline[s];
            rows.Add(new TimelineSecond(s, slot.Sent, slot.Started, slot.Dropped, slot.Late, slot.Ok + slot.Fail, slot.Ok, slot.Fail, slot.Latency.ValueAtPercentile(99)));
        }

        return rows;
    }

    private Slot SlotAt(long timestamp) => SlotAtSecond(SecondOf(timestamp));

    private int SecondOf(long timestamp) => (int)Math.Clamp((timestamp - _origin) / StopwatchTicks.Frequency, 0, MaxTimelineSeconds - 1);

    /// <summary>The first completion of <paramref name="second"/>: the second before it is finished, publish its p99.</summary>
    private void PublishSecond(int second)
    {
        if (_completionSecond >= 0)
        {
            long p99 = Math.Min(_timeline[_completionSecond].Latency.ValueAtPercentile(99), ProgressP99Mask);
            Volatile.Write(ref _lastSecondP99, ((long)_completionSecond << ProgressSecondShift) | p99);
        }

        _completionSecond = second;
    }

    private Slot SlotAtSecond(int second)
    {
        if (_timeline.Count <= second)
        {
            // Measured on this thread, so the run's allocation figure can leave the recorder's own out exactly.
            long before = GC.GetAllocatedBytesForCurrentThread();
            while (_timeline.Count <= second)
            {
                _timeline.Add(new Slot());
            }

            OwnAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return _timeline[second];
    }

    private sealed class Slot
    {
        public long Sent;
        public long Started;
        public long Dropped;
        public long Late;
        public long Ok;
        public long Fail;

        public LogLinearHistogram Latency { get; } = new(SlotHistogramHighest, SlotHistogramBits);
    }
}
