using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using FastAgents.Gate.Cases;
using FastAgents.Gate.Comparison;

namespace FastAgents.Gate;

/// <summary>
/// The benchmark regression gate: measures every case in several fresh processes (each case is ours against a peer in
/// the same process), takes the median across them, compares it with the committed baseline, and exits non-zero on a
/// regression. Usage: <c>dotnet run -c Release --project perf/FastAgents.Gate [-- --update-baseline | --slowdown]</c>.
/// </summary>
public static class Program
{
    private const string BaselineRelativePath = "perf/gate/baseline.json";
    private const string ResultMarker = "GATE-RESULT ";

    private const string About =
        "Benchmark regression gate (perf/FastAgents.Gate). ratio = ours / peer measured in the same process (for latencies, peer / ours): higher is better; " +
        "each figure is the median over the gate's processes of each side's best round. A case fails when its ratio falls below ratio x (1 - tolerance), " +
        "or when bytesPerOp (ours, rounded to a whole byte) differs at all. Update on purpose: dotnet run -c Release --project perf/FastAgents.Gate -- --update-baseline " +
        "(tolerances and notes are kept; choose tolerances from the spread of repeated runs).";

    // A process measures every case in about 16 s.
    private static readonly TimeSpan s_childTimeout = TimeSpan.FromMinutes(5);

    public static int Main(string[] args)
    {
        GateOptions? options = GateOptions.Parse(args, Environment.GetEnvironmentVariable, Console.Error);
        if (options is null)
        {
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(GateOptions.Usage);
            return 0;
        }

        return options.Child ? RunChild(options) : RunGate(options);
    }

    /// <summary>Measures every case once, in this process, and prints the measurements as one JSON line.</summary>
    private static int RunChild(GateOptions options)
    {
        if (options.Verbose)
        {
            GateCase.Trace = Console.Out;
        }

        if (options.Slowdown)
        {
            Slowdown.Calibrate();
        }

        var measured = new List<CaseMeasurement>();
        foreach (GateCase gateCase in Cases())
        {
            var watch = Stopwatch.StartNew();
            IReadOnlyList<CaseMeasurement> results = gateCase.Run(options.Rounds, options.Slowdown);
            foreach (CaseMeasurement m in results)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{m.Name,-26} ours {GateTable.Value(m.Ours, m.Unit),-12} peer {GateTable.Value(m.Peer, m.Unit),-12} ratio {m.Ratio,6:0.00#}  {m.OursBytesPerOp} B/op (peer {m.PeerBytesPerOp}){(options.Slowdown ? $"  [slowdown {gateCase.SlowdownNanoseconds:0} ns/op]" : string.Empty)}  {watch.Elapsed.TotalSeconds:0.0} s"));
            }

            measured.AddRange(results);
        }

        Console.WriteLine(ResultMarker + JsonSerializer.Serialize(measured, GateJsonContext.Default.ListCaseMeasurement).ReplaceLineEndings(string.Empty));
        return 0;
    }

    private static int RunGate(GateOptions options)
    {
        string? path = options.BaselinePath ?? FindBaseline();
        GateBaseline baseline;
        if (path is not null && File.Exists(path))
        {
            try
            {
                baseline = BaselineFile.Read(path);
            }
            catch (JsonException ex)
            {
                Console.Error.WriteLine($"gate: {path} is not a baseline file: {ex.Message}");
                return 2;
            }
        }
        else if (options.UpdateBaseline)
        {
            path ??= Path.GetFullPath(BaselineRelativePath);
            baseline = new GateBaseline();
        }
        else
        {
            Console.Error.WriteLine($"gate: no baseline file ({options.BaselinePath ?? BaselineRelativePath}); write one with --update-baseline.");
            return 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gate: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {options.Processes} processes x {options.Rounds} rounds per case, baseline {path}"));
        if (options.Slowdown)
        {
            Console.WriteLine("gate: DELIBERATE SLOWDOWN ON: our side of every case spins per operation (the [slowdown] figure on each line); the gate is expected to fail");
        }

        var total = Stopwatch.StartNew();
        var processes = new List<IReadOnlyList<CaseMeasurement>>(options.Processes);
        for (int p = 0; p < options.Processes; p++)
        {
            Console.WriteLine($"process {p + 1} of {options.Processes}:");
            IReadOnlyList<CaseMeasurement>? run = RunProcess(options);
            if (run is null)
            {
                Console.Error.WriteLine($"gate: measuring process {p + 1} failed.");
                return 2;
            }

            processes.Add(run);
        }

        IReadOnlyList<CaseMeasurement> measured = MeasurementSet.Combine(processes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gate: measured in {total.Elapsed.TotalSeconds:0.0} s; median over {processes.Count} processes (ratio range across them):"));
        foreach (CaseMeasurement m in measured)
        {
            IEnumerable<double> ratios = processes.SelectMany(p => p).Where(x => x.Name == m.Name).Select(x => x.Ratio);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {m.Name,-26} ratio {m.Ratio,6:0.00#}  ({ratios.Min():0.00#} to {ratios.Max():0.00#})"));
        }

        Console.WriteLine();
        if (options.UpdateBaseline)
        {
            GateBaseline updated = baseline.WithMeasurements(measured) with { About = baseline.About ?? About };
            BaselineFile.Write(updated, path!);
            GateTable.Write(GateComparer.Compare(updated, measured), Console.Out);
            Console.WriteLine($"gate: baseline written to {path}");
            return 0;
        }

        GateComparison comparison = GateComparer.Compare(baseline, measured);
        GateTable.Write(comparison, Console.Out);
        Console.WriteLine(comparison.Passed
            ? "gate: passed"
            : $"gate: FAILED ({comparison.Failures.Count} of {comparison.Rows.Count} cases); if the change is intended, update the baseline on purpose: dotnet run -c Release --project perf/FastAgents.Gate -- --update-baseline");
        return comparison.Passed ? 0 : 1;
    }

    /// <summary>Runs this program again with <c>--child</c>, relays its lines, and returns its measurements (null if it failed).</summary>
    private static List<CaseMeasurement>? RunProcess(GateOptions options)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The gate cannot find its own executable.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        start.ArgumentList.Add("--child");
        start.ArgumentList.Add("--rounds");
        start.ArgumentList.Add(options.Rounds.ToString(CultureInfo.InvariantCulture));
        if (options.Slowdown)
        {
            start.ArgumentList.Add("--slowdown");
        }

        if (options.Verbose)
        {
            start.ArgumentList.Add("--verbose");
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("The gate could not start a measuring process.");

        // A process measures every case in well under a minute; one that hangs is ended, and the gate fails, rather
        // than CI waiting for its own time limit.
        bool hung = false;
        using var watchdog = new Timer(
            _ =>
            {
                hung = true;
                child.Kill(entireProcessTree: true);
            },
            null,
            s_childTimeout,
            Timeout.InfiniteTimeSpan);
        List<CaseMeasurement>? result = null;
        while (child.StandardOutput.ReadLine() is string line)
        {
            if (line.StartsWith(ResultMarker, StringComparison.Ordinal))
            {
                result = JsonSerializer.Deserialize(line.AsSpan(ResultMarker.Length), GateJsonContext.Default.ListCaseMeasurement);
            }
            else
            {
                Console.WriteLine("  " + line);
            }
        }

        child.WaitForExit();
        watchdog.Dispose();
        if (Volatile.Read(ref hung))
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gate: a measuring process did not finish within {s_childTimeout.TotalSeconds:0} s and was ended."));
            return null;
        }

        return child.ExitCode == 0 ? result : null;
    }

    private static GateCase[] Cases() => [new RingCase(), new SerializerCase(), new TellCase(), new AskCase(), new OrchestrationCase(), new RouterCase()];

    /// <summary>perf/gate/baseline.json from the working folder, or from the folders above the program.</summary>
    private static string? FindBaseline()
    {
        string here = Path.GetFullPath(BaselineRelativePath);
        if (File.Exists(here))
        {
            return here;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, BaselineRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
