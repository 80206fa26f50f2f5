using System.Globalization;
using FastAgents.TransportBench.Compare;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>
/// <c>router-latency</c>: A -> router -> B at a fixed offered rate (open model), in fresh processes; prints the
/// receiver's latency percentiles, measured from each message's intended send time. Repeats <c>--rounds</c> times.
/// </summary>
internal static class RouterLatencyRole
{
    public const string Usage = "router-latency [--rate R (20000)] [--seconds S (10)] [--warmup W (2)] [--rounds N (3)]";

    public static int Run(RoleArguments args)
    {
        int rate = args.GetInt("rate", 20_000, 1, 10_000_000);
        double seconds = args.GetSeconds("seconds", 10, allowZero: false);
        double warmup = args.GetSeconds("warmup", 2, allowZero: true);
        int rounds = args.GetInt("rounds", 3, 1, 100);
        args.RejectUnknown();
        string s = VariantContext.Format(seconds);
        string w = VariantContext.Format(warmup);
        int failures = 0;
        for (int round = 1; round <= rounds; round++)
        {
            string path = Path.Combine(Path.GetTempPath(), $"fa-lat-{Environment.ProcessId}-{round}.sock");
            string output = Path.Combine(Path.GetTempPath(), $"fa-lat-{Environment.ProcessId}-{round}.txt");
            ProcessSpec[] plan =
            [
                new("middle", ["router-middle", "--listen", path, "--warmup", w, "--seconds", s], WaitForReady: true),
                new("recv", ["router-recv", "--connect", path, "--warmup", w, "--seconds", s, "--latency-out", output], WaitForReady: true),
                new("send", ["router-send", "--connect", path, "--warmup", w, "--seconds", s, "--linger", "0.5", "--rate", rate.ToString(CultureInfo.InvariantCulture)], WaitForReady: false),
            ];
            var children = new List<ChildProcess>();
            try
            {
                foreach (ProcessSpec spec in plan)
                {
                    ChildProcess child = ChildProcess.Start(spec);
                    children.Add(child);
                    if (spec.WaitForReady && !child.WaitReady(TimeSpan.FromSeconds(60)))
                    {
                        throw new InvalidOperationException($"{spec.Label} never became ready: {child.Describe()}");
                    }
                }

                foreach (ChildProcess child in children)
                {
                    if (!child.WaitExit(TimeSpan.FromSeconds(warmup + seconds + 120)))
                    {
                        throw new InvalidOperationException($"{child.Spec.Label} did not exit: {child.Describe()}");
                    }
                }

                ResultRecord? recv = children[1].Result;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"LATENCY round={round} rate={rate} received_per_s={recv?.MessagesPerSecond:F0} errors={recv?.Errors} {File.ReadAllText(output).Trim()}"));
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                Console.Error.WriteLine($"router-latency: round {round} failed: {ex.Message}");
                failures++;
            }
            finally
            {
                foreach (ChildProcess child in children)
                {
                    child.Kill();
                    child.Dispose();
                }

                File.Delete(path);
                File.Delete(output);
            }
        }

        return failures == 0 ? 0 : 1;
    }
}
