namespace FastAgents.TransportBench.Compare;

/// <summary>
/// One way of moving messages from a sender to a receiver, measured by <c>compare</c>: which processes to start, in
/// which order, with which arguments, and whose RESULT is the throughput figure. Register instances in Catalog.
/// </summary>
internal abstract class Variant
{
    /// <summary>The name used by <c>--only</c>, the report and the SUMMARY lines.</summary>
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>The process label whose RESULT gives the variant's messages per second: the receiver's, by default.</summary>
    public virtual string ThroughputLabel => "recv";

    /// <summary>
    /// The processes of one run, in start order. A process with <see cref="ProcessSpec.WaitForReady"/> must print READY
    /// before the next one starts. Called once per run, so temp paths and ports are fresh every time.
    /// </summary>
    public abstract IReadOnlyList<ProcessSpec> Plan(VariantContext context);
}
