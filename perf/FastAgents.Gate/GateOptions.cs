using System.Globalization;

namespace FastAgents.Gate;

/// <summary>The gate's command line.</summary>
internal sealed record GateOptions
{
    /// <summary>Environment variable that turns the deliberate slowdown on (<c>1</c> or <c>true</c>).</summary>
    public const string SlowdownVariable = "FASTAGENTS_GATE_SLOWDOWN";

    public const int DefaultRounds = 11;

    public const int DefaultProcesses = 5;

    public bool UpdateBaseline { get; init; }

    public bool Slowdown { get; init; }

    public string? BaselinePath { get; init; }

    public int Rounds { get; init; } = DefaultRounds;

    public bool Help { get; init; }

    public bool Verbose { get; init; }

    /// <summary>Processes that measure every case; the gate takes the median across them.</summary>
    public int Processes { get; init; } = DefaultProcesses;

    /// <summary>Set in a child process: measure once and print the measurements as JSON.</summary>
    public bool Child { get; init; }

    public const string Usage = """
        FastAgents.Gate: the benchmark regression gate. Each case measures ours and a peer in the same run and
        compares the ratio with perf/gate/baseline.json.

          --update-baseline   write the measured ratios and bytes per operation to the baseline (tolerances kept)
          --baseline PATH     the baseline file (default: perf/gate/baseline.json, found from the working folder up)
          --processes N       fresh processes that each measure every case (default 5); the gate takes the median
          --rounds N          measured rounds per case in each process (default 11; each round measures both sides)
          --verbose           print every round's figures (to judge the spread when choosing tolerances)
          --slowdown          spin on our side of every case (also FASTAGENTS_GATE_SLOWDOWN=1): the gate must fail

        Exit codes: 0 passed (or baseline written), 1 a case regressed, 2 bad usage or unreadable baseline.
        """;

    /// <summary>Parses <paramref name="args"/> and the environment; returns null and writes why on a bad command line.</summary>
    public static GateOptions? Parse(string[] args, Func<string, string?> environment, TextWriter error)
    {
        string? slow = environment(SlowdownVariable);
        var options = new GateOptions { Slowdown = slow is "1" || string.Equals(slow, "true", StringComparison.OrdinalIgnoreCase) };
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--update-baseline":
                    options = options with { UpdateBaseline = true };
                    break;
                case "--slowdown":
                    options = options with { Slowdown = true };
                    break;
                case "--baseline" when i + 1 < args.Length:
                    options = options with { BaselinePath = args[++i] };
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int rounds) && rounds is >= 1 and <= 1000:
                    options = options with { Rounds = rounds };
                    i++;
                    break;
                case "--processes" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int processes) && processes is >= 1 and <= 100:
                    options = options with { Processes = processes };
                    i++;
                    break;
                case "--child":
                    options = options with { Child = true };
                    break;
                case "--verbose":
                    options = options with { Verbose = true };
                    break;
                case "--help" or "-h":
                    options = options with { Help = true };
                    break;
                default:
                    error.WriteLine($"gate: unknown or incomplete argument '{args[i]}'.");
                    error.WriteLine(Usage);
                    return null;
            }
        }

        if (options.UpdateBaseline && options.Slowdown)
        {
            error.WriteLine("gate: refusing to write a baseline with the deliberate slowdown on.");
            return null;
        }

        return options;
    }
}
