using System.Diagnostics;

namespace FastAgents.Perf.Load;

/// <summary>
/// Lets another thread watch a run while it goes: give one to <see cref="OpenModelOptions.Progress"/> or
/// <see cref="ClosedModelOptions.Progress"/> and call <see cref="Read"/> as often as a display needs (a few
/// times a second). One instance serves one run.
/// </summary>
/// <remarks>
/// Design: the run's recording contexts keep their counters as they always do, one writer each; this object
/// only holds them and sums what it reads. The latency a progress line shows is the p99 of the latest second a
/// context has finished with, which the context computes itself when its first completion of the next second
/// arrives: a histogram is never read while it is written, and the send path pays one comparison.
/// </remarks>
public sealed class LoadProgress
{
    private readonly Lock _gate = new();
    private readonly List<LoadRecorder> _recorders = [];
    private long _measureStart;
    private long _measureEnd;
    private volatile bool _started;
    private volatile bool _draining;
    private volatile bool _finished;
    private LoadProgressSnapshot _final;

    /// <summary>The figures so far.</summary>
    public LoadProgressSnapshot Read()
    {
        if (_finished)
        {
            return _final;
        }

        if (!_started)
        {
            return new LoadProgressSnapshot(LoadPhase.NotStarted, TimeSpan.Zero, TimeSpan.Zero, 0, 0, 0, 0, 0, -1, 0);
        }

        long now = Stopwatch.GetTimestamp();
        long sent = 0, dropped = 0, late = 0, ok = 0, fail = 0;
        int lastSecond = -1;
        long p99 = 0;
        lock (_gate)
        {
            foreach (LoadRecorder recorder in _recorders)
            {
                (long s, long d, long l, long o, long f) = recorder.ReadCounters();
                sent += s;
                dropped += d;
                late += l;
                ok += o;
                fail += f;
                (int second, long value) = recorder.ReadLastSecondP99();
                if (second > lastSecond)
                {
                    lastSecond = second;
                    p99 = value;
                }
                else if (second == lastSecond && second >= 0)
                {
                    p99 = Math.Max(p99, value);
                }
            }
        }

        LoadPhase phase = now < _measureStart ? LoadPhase.WarmingUp
            : _draining || now >= _measureEnd ? LoadPhase.Draining
            : LoadPhase.Measuring;
        TimeSpan elapsed = StopwatchTicks.ToTimeSpan(Math.Max(0, now - _measureStart));
        TimeSpan planned = StopwatchTicks.ToTimeSpan(_measureEnd - _measureStart);
        return new LoadProgressSnapshot(phase, elapsed, planned, sent, ok, fail, dropped, late, lastSecond, p99);
    }

    /// <summary>Called by a runner before its first send.</summary>
    internal void Begin(long measureStart, long measureEnd)
    {
        if (_started)
        {
            throw new InvalidOperationException("A LoadProgress serves one run; create another for the next.");
        }

        _measureStart = measureStart;
        _measureEnd = measureEnd;
        _started = true;
    }

    /// <summary>Adds a recording context; it publishes its per-second p99 from then on.</summary>
    internal void Attach(LoadRecorder recorder)
    {
        recorder.EnableProgress();
        lock (_gate)
        {
            _recorders.Add(recorder);
        }
    }

    /// <summary>Every send was issued: only completions are awaited now.</summary>
    internal void Drain() => _draining = true;

    /// <summary>
    /// The run has ended: the figures are frozen as they are now, before the runner merges its recording contexts into
    /// one (which would count the merged ones twice).
    /// </summary>
    internal void Finish()
    {
        _final = Read() with { Phase = LoadPhase.Finished };
        _finished = true;
    }
}
