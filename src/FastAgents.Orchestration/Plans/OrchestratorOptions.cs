using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>Settings of an <see cref="Orchestrator"/>.</summary>
public sealed record OrchestratorOptions
{
    /// <summary>
    /// The clock for step timing and retry waits (<see cref="TimeProvider.System"/> by default). A test passes a
    /// manual clock to drive backoff; step timeouts are the runtime's and do not use it.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where retry jitter is drawn from (<see cref="Random.NextDouble"/>); null for <see cref="Random.Shared"/>.
    /// A given instance is used under a lock, so parallel branches may share it; seed it, or override
    /// <see cref="Random.NextDouble"/>, for repeatable waits.
    /// </summary>
    public Random? JitterSource { get; init; }

    /// <summary>The timeout of one attempt of a step that sets none (<see cref="PlanStep.Timeout"/>). Default 30 s.</summary>
    public TimeSpan StepTimeout
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(StepTimeout), value, "A step timeout must be positive.");
    } = TimeSpan.FromSeconds(30);

    /// <summary>The retry policy of a step that sets none (<see cref="PlanStep.Retry"/>). Default <see cref="RetryPolicy.None"/>.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;

    /// <summary>When set, every attempt's request and reply (or error) is recorded here under the run's id.</summary>
    public MessageJournal? Journal { get; init; }

    /// <summary>The sender recorded in the journal for requests, and the receiver for replies. Default <see cref="AgentId.None"/>.</summary>
    public AgentId Identity { get; init; }

    /// <summary>The lane the step requests travel in. Default <see cref="Priority.Normal"/>.</summary>
    public Priority Priority { get; init; } = Priority.Normal;
}
