using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using FastAgents.Benchmarks.Latency;

namespace FastAgents.Benchmarks;

/// <summary>
/// Entry point. <c>latency</c> and <c>wake</c> run the tail-latency harnesses, <c>agents</c> the runtime's tell/ask/publish harness (BenchmarkDotNet reports
/// means, not tails); anything else goes to BenchmarkDotNet's switcher (<c>--filter</c>, <c>--list flat</c>).
/// <c>--quick</c> selects a short job: one launch, one warm-up and three measured iterations.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        bool quick = args.Contains("--quick");
        string[] rest = args.Where(a => a != "--quick").ToArray();
        if (rest.Length > 0 && rest[0] == "latency")
        {
            return PingPongHarness.Run(quick);
        }

        if (rest.Length > 0 && rest[0] == "agents")
        {
            return Agents.AgentHarness.Run(quick);
        }

        if (rest.Length > 0 && rest[0] == "wake")
        {
            return WakeHarness.Run(quick);
        }

        IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        if (quick)
        {
            config = config.AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithId("Quick"));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
        return 0;
    }
}
