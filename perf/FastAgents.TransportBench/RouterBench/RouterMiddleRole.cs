using System.Diagnostics;
using FastAgents.Router;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>
/// The router itself (the same RouterServer the daemon runs, HTTP off) on a Unix socket. Its window counts frames
/// read; it exits once both peers have come and gone.
/// </summary>
internal static class RouterMiddleRole
{
    public const string Usage = "router-middle --listen PATH --seconds S [--warmup W]";

    public static int Run(RoleArguments args)
    {
        string path = args.GetString("listen");
        double seconds = args.GetSeconds("seconds", null, allowZero: false);
        double warmup = args.GetSeconds("warmup", 0, allowZero: true);
        args.RejectUnknown();
        var router = new RouterServer(new RouterOptions { SocketPath = path, HttpPort = null });
        router.StartAsync().GetAwaiter().GetResult();
        Console.WriteLine("READY");
        var window = new MeasuredWindow(warmup, seconds);
        bool reported = false;
        long deadline = Stopwatch.GetTimestamp() + (long)((warmup + seconds + 120) * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(5);
            long frames = router.Metrics.FramesIn;
            long now = Stopwatch.GetTimestamp();
            if (frames > 0)
            {
                window.Start(now);
                window.Observe(frames, now);
            }

            if (window.IsClosed && !reported)
            {
                Console.WriteLine(ResultRecord.Format("middle", window, 0));
                reported = true;
            }

            if (router.Metrics.ConnectionsAccepted >= 2 && router.ConnectionCount == 0)
            {
                break;
            }
        }

        if (!reported)
        {
            window.Finish(router.Metrics.FramesIn, Stopwatch.GetTimestamp());
            Console.WriteLine(ResultRecord.Format("middle", window, 0));
        }

        router.StopAsync(TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
        return 0;
    }
}
