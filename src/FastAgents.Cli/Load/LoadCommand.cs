using System.CommandLine;
using System.Globalization;
using FastAgents.Perf.Load;
using FastAgents.Perf.Reports;

namespace FastAgents.Cli.Load;

/// <summary><c>fastagents load</c>: drives the in-process runtime with the load engine and reports what it measured.</summary>
internal static class LoadCommand
{
    /// <summary>Exit code of a command line that cannot run.</summary>
    public const int UsageExitCode = 1;

    /// <summary>Exit code of a router run that could not be set up (router unreachable, a target process failed).</summary>
    public const int SetupExitCode = 3;

    public static Command Create()
    {
        var mode = new Option<string>("--mode") { Description = "tell: one-way, complete when the target agent has handled the message; ask: round trip to the reply.", DefaultValueFactory = _ => "tell" };
        mode.AcceptOnlyFromAmong("tell", "ask");
        var payload = new Option<int>("--payload") { Description = "Payload bytes per message: 8 or a power of two up to 4096 (an unmanaged struct), or any size from 13 (a byte-array message).", DefaultValueFactory = _ => 8 };
        var agents = new Option<int>("--agents") { Description = "Target agents; sends go to them in turn.", DefaultValueFactory = _ => 1 };
        var leastBusy = new Option<bool>("--least-busy") { Description = "Send to the least busy target (TellAny / AskAnyAsync on a pool) instead of in turn." };
        var workers = new Option<int>("--workers") { Description = "Worker threads of the runtime (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var pin = new Option<bool>("--pin") { Description = "Pin worker threads to cores." };
        var rate = new Option<double?>("--rate") { Description = "Open model: messages per second (fractions such as 0.5 allowed; default 10000)." };
        var ramp = new Option<string?>("--ramp") { Description = "Open model: FROM:TO, a linear ramp in messages per second over --duration (the warm-up runs at FROM)." };
        var maxInFlight = new Option<int?>("--max-in-flight") { Description = "Open model: most sends in flight; a send due beyond it is dropped and counted (default 10000)." };
        var concurrency = new Option<int?>("--concurrency") { Description = "Closed model: this many senders, each sending when its previous send completed." };
        var thinkMs = new Option<double?>("--think-ms") { Description = "Closed model: milliseconds each sender waits between a completion and its next send." };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of warm-up before the measured window (sent, not counted).", DefaultValueFactory = _ => 2 };
        var duration = new Option<double>("--duration") { Description = "Seconds measured.", DefaultValueFactory = _ => 10 };
        var count = new Option<long?>("--count") { Description = "Stop after this many measured sends (or at the end of --duration)." };
        var maxP99 = new Option<double?>("--max-p99") { Description = "Threshold: highest p99 in microseconds (response time in the open model, service time in the closed)." };
        var minRate = new Option<double?>("--min-rate") { Description = "Threshold: lowest throughput, ok messages per second." };
        var maxFailRate = new Option<double?>("--max-fail-rate") { Description = "Threshold: highest share of sends failed, dropped or unfinished, 0 to 1." };
        var outDir = new Option<string?>("--out") { Description = "Folder for the reports: load.md, load-summary.csv, load-timeline.csv, load-spectrum.csv, load.json, load.html." };
        var router = new Option<string?>("--router") { Description = "Run through a running router (unix:/path, a path, or tcp:host:port) instead of in process: target agents in --target-processes processes, sends from --connections connections." };
        var token = new Option<string?>("--token") { Description = "With --router: the router's token." };
        var targetProcesses = new Option<int>("--target-processes") { Description = "With --router: processes hosting --agents target agents each (started and ended by this command); 0 hosts them in this process, on a connection of their own.", DefaultValueFactory = _ => 1 };
        var connections = new Option<int>("--connections") { Description = "With --router: sending connections from this process (a runtime and a router client each), used in turn.", DefaultValueFactory = _ => 1 };
        var idleSpin = new Option<double?>("--idle-spin-us") { Description = "Microseconds idle workers (and router clients' writers) spin before they yield, then park (default 100). 0 suits a steady trickle on a machine with few cores." };
        var idleYield = new Option<double?>("--idle-yield-us") { Description = "Microseconds they then yield before they park (default 20)." };
        var selfCheck = new Option<bool>("--self-check") { Description = "Measure the open-model generator alone (sends complete at once, no runtime): its error against --rate is its own." };
        var progressEvery = new Option<double>("--progress-every") { Description = "Seconds between progress lines when the output is not a terminal (0: none).", DefaultValueFactory = _ => 1 };

        var command = new Command("load", "Load-tests the in-process runtime, or a router (--router): tells or asks at a rate (open model) or from N senders (closed model), then prints throughput, latency percentiles and bytes allocated per message, and writes reports. Exit code 2 when a threshold was missed.");
        foreach (Option option in new Option[] { mode, payload, agents, leastBusy, workers, pin, router, token, targetProcesses, connections, idleSpin, idleYield, selfCheck, rate, ramp, maxInFlight, concurrency, thinkMs, warmup, duration, count, maxP99, minRate, maxFailRate, outDir, progressEvery })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) =>
        {
            string? rampText = result.GetValue(ramp);
            (double From, double To)? rampValue = null;
            if (rampText is not null)
            {
                if (!LoadSettings.TryParseRamp(rampText, out (double From, double To) parsed))
                {
                    Console.Error.WriteLine($"fastagents load: --ramp '{rampText}': expected FROM:TO, such as 100:5000.");
                    return Task.FromResult(UsageExitCode);
                }

                rampValue = parsed;
            }

            double? think = result.GetValue(thinkMs);
            var settings = new LoadSettings
            {
                Mode = result.GetValue(mode) == "ask" ? LoadMode.Ask : LoadMode.Tell,
                PayloadBytes = result.GetValue(payload),
                Agents = result.GetValue(agents),
                LeastBusy = result.GetValue(leastBusy),
                Workers = result.GetValue(workers),
                Pin = result.GetValue(pin),
                Router = result.GetValue(router),
                Token = result.GetValue(token),
                TargetProcesses = result.GetValue(targetProcesses),
                Connections = result.GetValue(connections),
                SelfCheck = result.GetValue(selfCheck),
                IdleSpin = result.GetValue(idleSpin) is double spin ? TimeSpan.FromMicroseconds(spin) : null,
                IdleYield = result.GetValue(idleYield) is double yieldUs ? TimeSpan.FromMicroseconds(yieldUs) : null,
                Rate = result.GetValue(rate),
                Ramp = rampValue,
                MaxInFlight = result.GetValue(maxInFlight),
                Concurrency = result.GetValue(concurrency),
                ThinkTime = think is double ms ? TimeSpan.FromMilliseconds(ms) : null,
                WarmUp = TimeSpan.FromSeconds(result.GetValue(warmup)),
                Duration = TimeSpan.FromSeconds(result.GetValue(duration)),
                Count = result.GetValue(count),
                MaxP99Microseconds = result.GetValue(maxP99),
                MinRate = result.GetValue(minRate),
                MaxFailRate = result.GetValue(maxFailRate),
                OutDirectory = result.GetValue(outDir),
                ProgressEverySeconds = result.GetValue(progressEvery),
            };
            return Task.FromResult(Run(settings, Console.Out, Console.Error, cancellationToken));
        });
        return command;
    }

    /// <summary>Runs <paramref name="settings"/>: progress, the summary table, the report files; returns the exit code.</summary>
    public static int Run(LoadSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? problem = settings.Validate();
        if (problem is not null)
        {
            error.WriteLine($"fastagents load: {problem}");
            return UsageExitCode;
        }

        output.WriteLine($"fastagents load: {settings.Title()}");
        output.WriteLine(settings.Model == LoadModel.Open
            ? $"open model: {settings.Schedule()}, after {Seconds(settings.WarmUp)} s of warm-up{(settings.Count is long c ? $", at most {c:N0} sends" : string.Empty)}; at most {settings.ExpectedInFlight:N0} in flight"
            : $"closed model: {settings.Concurrency} sender(s){(settings.ThinkTime is TimeSpan t && t > TimeSpan.Zero ? $", {t.TotalMilliseconds:0.###} ms think time" : string.Empty)} for {Seconds(settings.Duration)} s, after {Seconds(settings.WarmUp)} s of warm-up{(settings.Count is long n ? $", at most {n:N0} sends" : string.Empty)}");
        output.WriteLine(settings.SelfCheck
            ? "latency: none to speak of (each send completes as it starts); the figure to read is the generator error"
            : settings.Mode == LoadMode.Ask
            ? "latency: an ask completes when its reply is back (round trip)"
            : settings.Router is null
                ? "latency: a tell completes when the target agent's handler runs (it completes the send's pooled completion source)"
                : "latency: a tell completes when the target agent's acknowledgement is back through the router (two crossings)");
        output.WriteLine(settings.Model == LoadModel.Open
            ? "response time counts from each send's intended time (coordinated omission corrected), service time from its actual start"
            : "service time counts from each send's start");

        var progress = new LoadProgress();
        LoadReport report;
        try
        {
            report = ProgressDisplay.Run(
                () => LoadScenario.Run(settings, progress, cancellationToken),
                progress,
                TimeSpan.FromSeconds(settings.ProgressEverySeconds),
                output);
        }
        catch (LoadSetupException ex)
        {
            error.WriteLine($"fastagents load: {ex.Message}");
            return SetupExitCode;
        }

        output.WriteLine();
        SummaryTable.Write(report, output);
        if (settings.OutDirectory is string directory)
        {
            IReadOnlyList<string> files = ReportFiles.WriteAll(report, directory);
            output.WriteLine($"reports: {string.Join(", ", files)}");
        }

        return report.Thresholds?.ExitCode ?? 0;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
