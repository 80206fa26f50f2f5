using System.Diagnostics;
using System.Globalization;
using FastAgents.Perf.Load;

namespace FastAgents.Cli.Load;

/// <summary>
/// Formats the progress line of a run: phase and time, the ok rate over the last second or so, counts, and the p99
/// of the latest finished second.
/// </summary>
internal sealed class ProgressLine
{
    private static readonly long s_rateWindow = Stopwatch.Frequency;
    private long _sampleTime;
    private long _sampleOk;
    private double _rate;

    public string Format(LoadProgressSnapshot s)
    {
        long now = Stopwatch.GetTimestamp();
        if (_sampleTime == 0 || s.Phase != LoadPhase.Measuring)
        {
            _sampleTime = now;
            _sampleOk = s.Ok;
        }
        else if (now - _sampleTime >= s_rateWindow)
        {
            _rate = (s.Ok - _sampleOk) / ((now - _sampleTime) / (double)Stopwatch.Frequency);
            _sampleTime = now;
            _sampleOk = s.Ok;
        }

        string when = s.Phase switch
        {
            LoadPhase.NotStarted => "starting",
            LoadPhase.WarmingUp => "warming up",
            LoadPhase.Measuring => string.Create(CultureInfo.InvariantCulture, $"{s.Elapsed.TotalSeconds,5:0.0}/{s.Planned.TotalSeconds:0.#} s"),
            LoadPhase.Draining => "draining",
            _ => "done",
        };
        string p99 = s.LastSecond >= 0 ? Latency(s.LastSecondP99Nanoseconds) : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"{when,-12} rate {_rate,10:N0}/s  sent {s.Sent,12:N0}  ok {s.Ok,12:N0}  fail {s.Fail:N0}  dropped {s.Dropped:N0}  late {s.Late:N0}  p99 {p99} (last second)");
    }

    private static string Latency(long nanoseconds) => nanoseconds switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds} ns"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:0.##} µs"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:0.##} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e9:0.###} s"),
    };
}
