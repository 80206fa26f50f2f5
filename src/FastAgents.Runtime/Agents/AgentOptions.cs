namespace FastAgents.Runtime;

/// <summary>How one agent is placed and treated. Every property has a default.</summary>
public sealed record AgentOptions
{
    /// <summary>The worker to place the agent on; null picks the worker with the fewest agents.</summary>
    public int? Worker { get; init; }

    /// <summary>Capabilities the agent registers, for capability sends, broadcasts and lookups.</summary>
    public IReadOnlyList<Capability> Capabilities { get; init; } = [];

    /// <summary>What happens when a handler throws. Default: resume.</summary>
    public SupervisionPolicy Supervision { get; init; } = SupervisionPolicy.Resume;

    /// <summary>What sends to this agent do when its inbox is full, unless a send says otherwise. Default: wait.</summary>
    public Backpressure Backpressure { get; init; } = Backpressure.Wait;
}
