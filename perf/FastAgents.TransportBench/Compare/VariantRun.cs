namespace FastAgents.TransportBench.Compare;

/// <summary>The outcome of running one variant once: every process's RESULT, or why the run failed.</summary>
internal sealed class VariantRun
{
    private VariantRun(string variant, IReadOnlyDictionary<string, ResultRecord> results, double messagesPerSecond, string? failure)
    {
        Variant = variant;
        Results = results;
        MessagesPerSecond = messagesPerSecond;
        Failure = failure;
    }

    public string Variant { get; }

    /// <summary>RESULT records keyed by process label (recv, send, middle...).</summary>
    public IReadOnlyDictionary<string, ResultRecord> Results { get; }

    /// <summary>The throughput process's messages per second; 0 for a failed run.</summary>
    public double MessagesPerSecond { get; }

    public string? Failure { get; }

    public bool Succeeded => Failure is null;

    public static VariantRun Success(string variant, IReadOnlyDictionary<string, ResultRecord> results, double messagesPerSecond) =>
        new(variant, results, messagesPerSecond, null);

    public static VariantRun Failed(string variant, string failure) =>
        new(variant, new Dictionary<string, ResultRecord>(), 0, failure);
}
