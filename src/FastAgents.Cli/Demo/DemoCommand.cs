using System.CommandLine;

namespace FastAgents.Cli.Demo;

/// <summary><c>fastagents demo</c>: the in-process pipeline on embedded defaults.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<double>("--duration") { Description = "Seconds measured (after the warm-up).", DefaultValueFactory = _ => 5 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of warm-up, not measured.", DefaultValueFactory = _ => 1.5 };
        var pool = new Option<int>("--pool") { Description = "Agents in the worker pool behind the least-busy balancer.", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Items the source sends per batch (one ask round trip per batch).", DefaultValueFactory = _ => 64 };
        var workers = new Option<int>("--workers") { Description = "Worker threads (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var pin = new Option<bool>("--pin") { Description = "Pin worker threads to cores." };
        var command = new Command("demo", "Runs an in-process multi-agent pipeline (source -> least-busy pool -> aggregator, one ask per batch) and prints throughput, latency percentiles and bytes allocated per message.");
        command.Options.Add(duration);
        command.Options.Add(warmup);
        command.Options.Add(pool);
        command.Options.Add(batch);
        command.Options.Add(workers);
        command.Options.Add(pin);
        command.SetAction(result =>
        {
            var settings = new DemoSettings(
                TimeSpan.FromSeconds(result.GetValue(duration)),
                TimeSpan.FromSeconds(result.GetValue(warmup)),
                result.GetValue(pool),
                result.GetValue(batch),
                result.GetValue(workers),
                result.GetValue(pin));
            string? problem = settings.Validate();
            if (problem is not null)
            {
                Console.Error.WriteLine($"fastagents demo: {problem}");
                return 1;
            }

            return DemoPipeline.RunAsync(settings, Console.Out).GetAwaiter().GetResult();
        });
        return command;
    }
}
