using System.Diagnostics;
using FastAgents.Perf.Load;
using FastAgents.Runtime;
using FastAgents.Transport;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>
/// The sending process: a runtime joined to the router that tells 64-byte payloads to the sink agent in the other
/// process, from one thread, as fast as the link takes them (backpressure: wait) or, with <c>--rate R</c>, at
/// intended times R per second (open model: each payload carries its intended time, so latency includes any delay
/// in sending it). It first asks the sink until it answers, so that the router knows it.
/// </summary>
internal static class RouterSendRole
{
    public const string Usage = "router-send --connect PATH --seconds S [--warmup W] [--linger L] [--rate R] [--pacing spin|timer] " + IdleWait.Usage;

    public static int Run(RoleArguments args)
    {
        string path = args.GetString("connect");
        double seconds = args.GetSeconds("seconds", null, allowZero: false);
        double warmup = args.GetSeconds("warmup", 0, allowZero: true);
        double linger = args.GetSeconds("linger", 0.5, allowZero: true);
        int rate = args.GetInt("rate", 0, 0, 10_000_000);
        string pacing = args.GetOptionalString("pacing") ?? "spin";
        if (pacing is not ("spin" or "timer") || (pacing == "timer" && !TimerPacing.IsSupported))
        {
            throw new UsageException($"--pacing must be spin or timer (timer needs Linux), not {pacing}.");
        }

        IdleWait idle = IdleWait.From(args);
        args.RejectUnknown();

        using var runtime = new AgentRuntime(new RuntimeOptions { Workers = 1, Name = "send", SendTimeout = TimeSpan.FromSeconds(30), IdleSpin = idle.Spin, IdleYield = idle.Yield });
        RouterClient client = RouterClient.ConnectAsync(runtime, new RouterClientOptions { Endpoint = path, Name = "send", IdleSpin = idle.Spin, IdleYield = idle.Yield }).GetAwaiter().GetResult();
        var sink = new AgentId(SinkAgent.Type, 1);
        WaitForSink(runtime, sink);

        var window = new MeasuredWindow(warmup, seconds);
        long start = Stopwatch.GetTimestamp();
        long end = start + (long)((warmup + seconds + linger) * Stopwatch.Frequency);
        window.Start(start);
        long sequence = 0;
        if (rate == 0)
        {
            while (true)
            {
                long now = Stopwatch.GetTimestamp();
                if (now >= end)
                {
                    break;
                }

                for (int i = 0; i < 256; i++)
                {
                    runtime.Tell(sink, new BenchPayload(sequence, now, 0, 0, 0, 0, 0, 0));
                    sequence++;
                }

                window.Observe(sequence, now);
            }
        }
        else
        {
            bool timer = pacing == "timer";
            if (timer)
            {
                TimerPacing.TightenTimerSlack();
            }

            long intended = start;
            while (intended < end)
            {
                if (timer)
                {
                    TimerPacing.Until(intended);
                }
                else
                {
                    PreciseWait.Until(intended);
                }

                runtime.Tell(sink, new BenchPayload(sequence, intended, 0, 0, 0, 0, 0, 0));
                sequence++;
                window.Observe(sequence, intended);
                intended = start + (long)((double)sequence * Stopwatch.Frequency / rate);
            }
        }

        window.Finish(sequence, Stopwatch.GetTimestamp());
        Console.WriteLine(ResultRecord.Format("send", window, 0));
        client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    private static void WaitForSink(AgentRuntime runtime, AgentId sink)
    {
        long deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            try
            {
                runtime.AskAsync<BenchPayload, BenchPayload>(sink, new BenchPayload(-1, 0, 0, 0, 0, 0, 0, 0), TimeSpan.FromSeconds(2)).AsTask().GetAwaiter().GetResult();
                return;
            }
            catch (UndeliverableException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
            }
        }
    }
}
