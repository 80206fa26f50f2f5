namespace FastAgents.TransportBench.Compare;

/// <summary>The orchestrator's options; variants read their own settings (such as the HTTP concurrency) from here.</summary>
internal sealed class CompareOptions
{
    public required int Rounds { get; init; }

    public required double Seconds { get; init; }

    public required double WarmupSeconds { get; init; }

    /// <summary>How long senders keep sending after their own window, so a receiver that started later finishes its window.</summary>
    public required double LingerSeconds { get; init; }

    public required IReadOnlyList<string>? Only { get; init; }

    public required string Reference { get; init; }

    public required string Peer { get; init; }

    public required int HttpConcurrency { get; init; }

    public required TimeSpan ReadyTimeout { get; init; }

    /// <summary>Time allowed beyond warm-up + seconds + linger before a process counts as hung and is killed.</summary>
    public required TimeSpan ExitGrace { get; init; }

    public static CompareOptions Parse(RoleArguments args)
    {
        string? only = args.GetOptionalString("only");
        var options = new CompareOptions
        {
            Rounds = args.GetInt("rounds", 3, 1, 1000),
            Seconds = args.GetSeconds("seconds", 5, allowZero: false),
            // Kestrel and HttpClient need seconds of tiered (PGO) compilation to reach steady state on two cores; the relay needs none.
            WarmupSeconds = args.GetSeconds("warmup", 5, allowZero: true),
            LingerSeconds = args.GetSeconds("linger", 1, allowZero: true),
            Only = only?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Reference = args.GetOptionalString("reference") ?? "relay",
            Peer = args.GetOptionalString("peer") ?? "http",
            HttpConcurrency = args.GetInt("http-concurrency", 64, 1, 10_000),
            ReadyTimeout = TimeSpan.FromSeconds(args.GetSeconds("ready-timeout", 60, allowZero: false)),
            ExitGrace = TimeSpan.FromSeconds(args.GetSeconds("exit-grace", 30, allowZero: false)),
        };
        args.RejectUnknown();
        if (options.Only is { Count: 0 })
        {
            throw new UsageException("--only needs at least one variant name.");
        }

        return options;
    }
}
