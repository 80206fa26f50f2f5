using System.Globalization;
using FastAgents.TransportBench.Compare;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>
/// <c>router-latency</c>: A -> router -> B at a fixed offered rate (open model), in fresh processes run as
/// <c>compare</c> runs them; prints the receiver's latency percentiles, measured from each message's intended send
/// time. Repeats <c>--rounds</c> times.
/// </summary>
internal static class RouterLatencyRole
{
    public const string Usage = "router-latency [--rate R (20000)] [--seconds S (10)] [--warmup W (2)] [--rounds N (3)] [--pacing spin|timer] " + IdleWait.Usage;

    public static int Run(RoleArguments args)
    {
        int rate = args.GetInt("rate", 20_000, 1, 10_000_000);
        double seconds = args.GetSeconds("seconds", 10, allowZero: false);
        double warmup = args.GetSeconds("warmup", 2, allowZero: true);
        int rounds = args.GetInt("rounds", 3, 1, 100);
        IdleWait idle = IdleWait.From(args);
        string pacing = args.GetOptionalString("pacing") ?? "spin";
        args.RejectUnknown();
        var options = new Compare.CompareOptions
        {
            Rounds = rounds,
            Seconds = seconds,
            WarmupSeconds = warmup,
            LingerSeconds = 0.5,
            Only = null,
            Reference = "router",
            Peer = "router",
            HttpConcurrency = 0,
            ReadyTimeout = TimeSpan.FromSeconds(60),
            ExitGrace = TimeSpan.FromSeconds(120),
        };
        int failures = 0;
        for (int round = 1; round <= rounds; round++)
        {
            string output = Path.Combine(Path.GetTempPath(), $"fa-lat-{Environment.ProcessId}-{round}.txt");
            try
            {
                VariantRun run = VariantRunner.Run(new RouterVariant(rate, output, idle, pacing), options);
                if (!run.Succeeded)
                {
                    Console.Error.WriteLine($"router-latency: round {round} failed: {run.Failure}");
                    failures++;
                    continue;
                }

                ResultRecord recv = run.Results["recv"];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"LATENCY round={round} rate={rate} pacing={pacing} spin_us={idle.Spin.TotalMicroseconds:F0} yield_us={idle.Yield.TotalMicroseconds:F0} received_per_s={recv.MessagesPerSecond:F0} errors={recv.Errors} {File.ReadAllText(output).Trim()}"));
            }
            finally
            {
                File.Delete(output);
            }
        }

        return failures == 0 ? 0 : 1;
    }
}
