using FastAgents.Runtime;
using System.Globalization;
using FastAgents.Perf.Load;
using FastAgents.Perf.Reports;

namespace FastAgents.Cli.Load;

/// <summary>What <c>fastagents load</c> runs, as given on the command line.</summary>
internal sealed record LoadSettings
{
    /// <summary>Largest payload accepted (the runtime's default limit).</summary>
    public const int MaxPayloadBytes = 16 << 20;

    /// <summary>Rate of the open model when neither a rate nor a ramp is given.</summary>
    public const double DefaultRate = 10_000;

    /// <summary>In-flight cap of the open model when none is given.</summary>
    public const int DefaultMaxInFlight = 10_000;

    public LoadMode Mode { get; init; } = LoadMode.Tell;

    /// <summary>Serialized payload bytes of each message (8, a power of two up to 4096, or 13 and above).</summary>
    public int PayloadBytes { get; init; } = 8;

    public int Agents { get; init; } = 1;

    /// <summary>Send to the least busy member of a pool (TellAny / AskAnyAsync) instead of round-robin.</summary>
    public bool LeastBusy { get; init; }

    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>How long idle workers (and router clients' writers) spin before they yield, then park; null: the runtime's default.</summary>
    public TimeSpan? IdleSpin { get; init; }

    /// <summary>How long they yield before they park; null: the runtime's default.</summary>
    public TimeSpan? IdleYield { get; init; }

    /// <summary>The options of a runtime of this run.</summary>
    public RuntimeOptions RuntimeOptions(string name, bool pin = false)
    {
        var options = new RuntimeOptions { Workers = Workers, PinWorkers = pin && Pin, Name = name };
        return options with { IdleSpin = IdleSpin ?? options.IdleSpin, IdleYield = IdleYield ?? options.IdleYield };
    }

    /// <summary>
    /// Measure the generator alone: every send completes at once, with no runtime behind it, so every gap between
    /// the offered and the achieved rate is the generator's own.
    /// </summary>
    public bool SelfCheck { get; init; }

    /// <summary>The router to run through (its endpoint); null for the in-process scenario.</summary>
    public string? Router { get; init; }

    /// <summary>The router's token (router scenario).</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Router scenario: processes hosting the target agents, <see cref="Agents"/> each; 0 hosts them in this process,
    /// in a runtime of its own with its own connection (every message still crosses the router).
    /// </summary>
    public int TargetProcesses { get; init; } = 1;

    /// <summary>Router scenario: sending connections (a runtime and a router client each); sends take them in turn.</summary>
    public int Connections { get; init; } = 1;

    public bool Pin { get; init; }

    /// <summary>Open model: constant messages per second.</summary>
    public double? Rate { get; init; }

    /// <summary>Open model: a linear ramp over the measured window, from and to (messages per second).</summary>
    public (double From, double To)? Ramp { get; init; }

    /// <summary>Open model: most sends in flight; null for the engine's default.</summary>
    public int? MaxInFlight { get; init; }

    /// <summary>Closed model: number of senders. Set, it selects the closed model.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Closed model: think time between a completion and the next send.</summary>
    public TimeSpan? ThinkTime { get; init; }

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most measured sends; null for no limit.</summary>
    public long? Count { get; init; }

    /// <summary>Threshold: highest p99 in microseconds.</summary>
    public double? MaxP99Microseconds { get; init; }

    /// <summary>Threshold: lowest throughput, ok messages per second.</summary>
    public double? MinRate { get; init; }

    /// <summary>Threshold: highest fail rate, 0 to 1.</summary>
    public double? MaxFailRate { get; init; }

    /// <summary>Folder for the report files; null for none.</summary>
    public string? OutDirectory { get; init; }

    /// <summary>Seconds between progress lines when the output is not a terminal; 0 for none.</summary>
    public double ProgressEverySeconds { get; init; } = 1;

    public LoadModel Model => Concurrency is null ? LoadModel.Open : LoadModel.Closed;

    /// <summary>Sends in flight at most: the senders in the closed model, the in-flight cap in the open.</summary>
    public int ExpectedInFlight => Concurrency ?? MaxInFlight ?? DefaultMaxInFlight;

    /// <summary>The first problem with these settings, or null when they can run.</summary>
    public string? Validate()
    {
        if (PayloadSizes.Describe(PayloadBytes) is null)
        {
            return $"--payload {PayloadBytes}: use 8, a power of two up to 4096 (sent as a struct), or any size from {BytesMessage.Overhead} to {MaxPayloadBytes} (sent as a byte array).";
        }

        if (Agents is < 1 or > 100_000)
        {
            return "--agents must be between 1 and 100000.";
        }

        if (Workers is < 1 or > 1024)
        {
            return "--workers must be between 1 and 1024.";
        }

        if (SelfCheck && (Router is not null || Model != LoadModel.Open))
        {
            return "--self-check measures the open-model generator alone: it takes no --router and no --concurrency.";
        }

        if (Router is null && (TargetProcesses != 1 || Connections != 1 || Token is not null))
        {
            return "--target-processes, --connections and --token need --router.";
        }

        if (TargetProcesses is < 0 or > MaxConnections)
        {
            return $"--target-processes must be between 0 and {MaxConnections}.";
        }

        if (Connections is < 1 or > MaxConnections)
        {
            return $"--connections must be between 1 and {MaxConnections}.";
        }

        if (IdleSpin < TimeSpan.Zero || IdleYield < TimeSpan.Zero)
        {
            return "--idle-spin-us and --idle-yield-us cannot be negative.";
        }

        if (Duration <= TimeSpan.Zero)
        {
            return "--duration must be above 0.";
        }

        if (WarmUp < TimeSpan.Zero)
        {
            return "--warmup cannot be negative.";
        }

        if (Count is < 1)
        {
            return "--count must be at least 1.";
        }

        if (MaxP99Microseconds is double p99 && !(p99 > 0))
        {
            return "--max-p99 must be above 0 (microseconds).";
        }

        if (MinRate is double minRate && !(minRate >= 0))
        {
            return "--min-rate cannot be negative.";
        }

        if (MaxFailRate is double maxFail && !(maxFail is >= 0 and <= 1))
        {
            return "--max-fail-rate is a fraction from 0 to 1.";
        }

        if (!(ProgressEverySeconds >= 0))
        {
            return "--progress-every cannot be negative.";
        }

        if (Concurrency is int concurrency)
        {
            if (Rate is not null || Ramp is not null || MaxInFlight is not null)
            {
                return "--concurrency selects the closed model: --rate, --ramp and --max-in-flight belong to the open model.";
            }

            if (concurrency is < 1 or > 1024)
            {
                return "--concurrency must be between 1 and 1024.";
            }

            if (ThinkTime is TimeSpan think && think < TimeSpan.Zero)
            {
                return "--think-ms cannot be negative.";
            }

            return null;
        }

        if (ThinkTime is not null)
        {
            return "--think-ms belongs to the closed model: give --concurrency too.";
        }

        if (Rate is not null && Ramp is not null)
        {
            return "give --rate or --ramp, not both.";
        }

        if (Rate is double rate && !(rate > 0 && double.IsFinite(rate)))
        {
            return "--rate must be above 0 (fractions such as 0.5 are allowed).";
        }

        if (Ramp is (double from, double to) && (!(from >= 0 && to >= 0 && double.IsFinite(from) && double.IsFinite(to)) || (from == 0 && to == 0)))
        {
            return "--ramp FROM:TO needs rates of 0 or more, not both 0.";
        }

        if (MaxInFlight is < 1)
        {
            return "--max-in-flight must be at least 1.";
        }

        return null;
    }

    /// <summary>The open model's schedule for the measured window (the warm-up runs at its initial rate).</summary>
    public RateSchedule Schedule() => Ramp is (double from, double to)
        ? RateSchedule.Ramp(from, to, Duration)
        : RateSchedule.Constant(Rate ?? DefaultRate, Duration);

    /// <summary>The thresholds given, or null when none was.</summary>
    public LoadThresholds? Thresholds() => MaxP99Microseconds is null && MinRate is null && MaxFailRate is null
        ? null
        : new LoadThresholds
        {
            MaxP99 = MaxP99Microseconds is double us ? TimeSpan.FromMicroseconds(us) : null,
            MinRate = MinRate,
            MaxFailRate = MaxFailRate,
        };

    /// <summary>Most target processes, and most sending connections, of a router run.</summary>
    public const int MaxConnections = 64;

    /// <summary>Target agents in all: <see cref="Agents"/> in each target process (or in the one target runtime).</summary>
    public int TotalAgents => Router is null ? Agents : Agents * Math.Max(1, TargetProcesses);

    /// <summary>A one-line description of the scenario, the reports' title.</summary>
    public string Title() => SelfCheck
        ? "generator self-check: sends that complete at once, no runtime"
        : Router is not null
        ? string.Create(CultureInfo.InvariantCulture,
            $"through the router at {Router}: {(Mode == LoadMode.Tell ? "tell" : "ask")} from {Connections} connection{(Connections == 1 ? string.Empty : "s")} to {TotalAgents} agent{(TotalAgents == 1 ? string.Empty : "s")} in {(TargetProcesses == 0 ? "this process (a connection of its own)" : $"{TargetProcesses} process{(TargetProcesses == 1 ? string.Empty : "es")}")} ({(LeastBusy ? "least busy" : "round-robin")}), {PayloadSizes.Describe(PayloadBytes)}")
        : string.Create(CultureInfo.InvariantCulture,
        $"in-process {(Mode == LoadMode.Tell ? "tell" : "ask")} to {Agents} agent{(Agents == 1 ? string.Empty : "s")} ({(LeastBusy ? "least busy" : "round-robin")}), {PayloadSizes.Describe(PayloadBytes)}, {Workers} worker{(Workers == 1 ? string.Empty : "s")}");

    /// <summary>Parses <c>FROM:TO</c> (two rates in messages per second, invariant culture).</summary>
    public static bool TryParseRamp(string? text, out (double From, double To) ramp)
    {
        ramp = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        if (!double.TryParse(text.AsSpan(0, colon), NumberStyles.Float, CultureInfo.InvariantCulture, out double from)
            || !double.TryParse(text.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double to))
        {
            return false;
        }

        ramp = (from, to);
        return true;
    }
}
