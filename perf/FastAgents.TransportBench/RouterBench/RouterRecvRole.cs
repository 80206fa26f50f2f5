using System.Diagnostics;
using System.Globalization;
using FastAgents.Perf;
using FastAgents.Runtime;
using FastAgents.Transport;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>
/// The receiving process: a runtime with one worker and the sink agent, joined to the router. Its window opens
/// <c>--warmup</c> seconds after the first payload. With <c>--latency-out FILE</c> it writes the latency percentiles
/// (from intended send time to handling, microseconds) there.
/// </summary>
internal static class RouterRecvRole
{
    public const string Usage = "router-recv --connect PATH --seconds S [--warmup W] [--latency-out FILE] " + IdleWait.Usage;

    public static int Run(RoleArguments args)
    {
        string path = args.GetString("connect");
        double seconds = args.GetSeconds("seconds", null, allowZero: false);
        double warmup = args.GetSeconds("warmup", 0, allowZero: true);
        string? latencyOut = args.GetOptionalString("latency-out");
        IdleWait idle = IdleWait.From(args);
        args.RejectUnknown();

        LogLinearHistogram? histogram = latencyOut is null ? null : new LogLinearHistogram();
        using var runtime = new AgentRuntime(new RuntimeOptions { Workers = 1, Name = "recv", LaneCapacity = 1 << 16, IdleSpin = idle.Spin, IdleYield = idle.Yield });
        var sink = new SinkAgent(histogram);
        runtime.Spawn(SinkAgent.Type, 1, () => sink);
        RouterClient client = RouterClient.ConnectAsync(runtime, new RouterClientOptions { Endpoint = path, Name = "recv", IdleSpin = idle.Spin, IdleYield = idle.Yield }).GetAwaiter().GetResult();
        Console.WriteLine("READY");
        var window = new MeasuredWindow(warmup, seconds);
        long idleSince = 0;
        long last = 0;
        while (true)
        {
            Thread.Sleep(2);
            long count = sink.Count;
            long now = Stopwatch.GetTimestamp();
            if (count == 0)
            {
                continue;
            }

            window.Start(now);
            window.Observe(count, now);

            // Latency counts for payloads intended inside the window (not the warm-up's JIT and connection set-up).
            Volatile.Write(ref sink.RecordFrom, window.OpenedAt);
            Volatile.Write(ref sink.RecordUntil, window.ClosedAt);
            if (count != last)
            {
                last = count;
                idleSince = now;
            }
            else if (window.IsClosed && now - idleSince > Stopwatch.Frequency / 2)
            {
                break; // the sender has finished
            }
        }

        Console.WriteLine(ResultRecord.Format("recv", window, Volatile.Read(ref sink.Errors)));
        if (latencyOut is not null && histogram is not null)
        {
            double Us(double p) => histogram.ValueAtPercentile(p) * 1e6 / Stopwatch.Frequency;
            File.WriteAllText(latencyOut, string.Create(CultureInfo.InvariantCulture,
                $"count={histogram.TotalCount} p50_us={Us(50):F1} p90_us={Us(90):F1} p99_us={Us(99):F1} p999_us={Us(99.9):F1} max_us={histogram.Max * 1e6 / Stopwatch.Frequency:F1}\n"));
        }

        client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }
}
