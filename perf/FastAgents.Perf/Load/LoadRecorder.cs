namespace FastAgents.Perf.Load;

/// <summary>
/// Counts and histograms of one recording context (the generator thread, one closed-model sender, or the
/// lock-guarded context of asynchronous completions). Not thread-safe: contexts are merged with
/// <see cref="Add"/> once recording has stopped. Times are <see cref="System.Diagnostics.Stopwatch"/> timestamps.
/// </summary>
internal sealed class LoadRecorder
{
    // A day of per-second rows at most; later seconds fold into the last row.
    private const int MaxTimelineSeconds = 86_400;

    // Per-second histograms are coarse (1/64 relative error, up to about 18 minutes): one per second of run.
    private const long SlotHistogramHighest = 1L << 40;
    private const int SlotHistogramBits = 7;

    private readonly List<Slot> _timeline = [];
    private readonly long _origin;

    public LoadRecorder(long origin) => _origin = origin;

    /// <summary>Response time: completion minus intended time (open model), or minus start (closed model).</summary>
    public LogLinearHistogram Response { get; } = new();

    /// <summary>Service time: completion minus the actual start of the send.</summary>
    public LogLinearHistogram Service { get; } = new();

    /// <summary>How late each send started against its intended time (open model).</summary>
    public LogLinearHistogram SendLag { get; } = new();

    public long Sent { get; private set; }

    public long Dropped { get; private set; }

    public long Late { get; private set; }

    public long Ok { get; private set; }

    public long Fail { get; private set; }

    public long LastCompletion { get; private set; }

    /// <summary>Bytes this recorder allocated for its timeline (one histogram per second), left out of bytes per message.</summary>
    public long OwnAllocatedBytes { get; private set; }

    public void RecordSent(long intended, long start, bool late)
    {
        Sent++;
        SendLag.Record(StopwatchTicks.ToNanoseconds(start - intended));
        Slot slot = SlotAt(intended);
        slot.Sent++;
        SlotAt(start).Started++;
        if (late)
        {
            Late++;
            slot.Late++;
        }
    }

    public void RecordDropped(long intended)
    {
        Dropped++;
        SlotAt(intended).Dropped++;
    }

    public void RecordCompletion(long intended, long start, long end, bool ok)
    {
        long response = StopwatchTicks.ToNanoseconds(end - intended);
        Response.Record(response);
        Service.Record(StopwatchTicks.ToNanoseconds(end - start));
        Slot slot = SlotAt(end);
        slot.Latency.Record(response);
        if (ok)
        {
            Ok++;
            slot.Ok++;
        }
        else
        {
            Fail++;
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
        Sent += other.Sent;
        Dropped += other.Dropped;
        Late += other.Late;
        Ok += other.Ok;
        Fail += other.Fail;
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

    private Slot SlotAt(long timestamp)
    {
        long second = (timestamp - _origin) / StopwatchTicks.Frequency;
        return SlotAtSecond((int)Math.Clamp(second, 0, MaxTimelineSeconds - 1));
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
