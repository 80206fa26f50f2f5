using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>
/// Runs plans (<see cref="SequentialPlan"/>, <see cref="ParallelPlan"/>, <see cref="AdaptivePlan"/>) over a runtime:
/// every step is an ask (<see cref="StepRequest"/> → <see cref="StepReply"/>) through the runtime's rings, so a run
/// has the runtime's latency, metrics, supervision and dead letters.
/// </summary>
/// <remarks>
/// <para>
/// An orchestrator holds no per-run state: one instance may run any number of plans at once. A run never throws
/// for a step's failure or for cancellation; both end up in the <see cref="RunResult"/>. Exceptions thrown by the
/// caller's own functions (a parallel plan's aggregate, an adaptive plan's decision) fail the run the same way.
/// </para>
/// <para>
/// As with <see cref="AgentRuntime.AskAsync{TRequest, TReply}"/>, the code after an <c>await</c> on a reply runs on
/// the replying agent's worker unless <see cref="RuntimeOptions.RunAskContinuationsAsynchronously"/> is set; the
/// orchestrator only sends the next request there, but the caller's code after <see cref="RunAsync(OrchestrationPlan, string?, CancellationToken)"/>
/// may run there too, so keep it short or set that option.
/// </para>
/// </remarks>
public sealed class Orchestrator
{
    private readonly Random? _jitter;
    private readonly Lock _jitterGate = new();

    /// <summary>Creates an orchestrator that runs plans on <paramref name="runtime"/>.</summary>
    public Orchestrator(AgentRuntime runtime, OrchestratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Runtime = runtime;
        Options = options ?? new OrchestratorOptions();
        _jitter = Options.JitterSource;
    }

    /// <summary>The runtime the steps are sent through.</summary>
    public AgentRuntime Runtime { get; }

    /// <summary>The settings.</summary>
    public OrchestratorOptions Options { get; }

    /// <summary>Runs <paramref name="plan"/> on <paramref name="input"/> under a new run id.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="input">The run's input: the first step's (or every parallel branch's) <see cref="StepRequest.Input"/>.</param>
    /// <param name="cancellationToken">Cancels the run: the step in flight is recorded as <see cref="StepStatus.Cancelled"/>,
    /// the rest as <see cref="StepStatus.Skipped"/>, and the result's status is <see cref="RunStatus.Cancelled"/> (no exception).</param>
    /// <returns>The run's result; await it once.</returns>
    public ValueTask<RunResult> RunAsync(OrchestrationPlan plan, string? input, CancellationToken cancellationToken = default) =>
        RunAsync(plan, input, Guid.NewGuid().ToString("N"), cancellationToken);

    /// <summary>Runs <paramref name="plan"/> on <paramref name="input"/> under the caller's <paramref name="runId"/>; otherwise as the overload without it.</summary>
    /// <exception cref="ArgumentException"><paramref name="runId"/> is null or empty.</exception>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RunResult> RunAsync(OrchestrationPlan plan, string? input, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        TimeProvider time = Options.Time;
        DateTimeOffset started = time.GetUtcNow();
        long start = time.GetTimestamp();
        var run = new RunContext(this, runId, cancellationToken);
        string? output = await run.RunPlanAsync(plan, input).ConfigureAwait(false);
        return run.Finish(output, started, time.GetElapsedTime(start));
    }

    /// <summary>A jitter sample in [0, 1).</summary>
    internal double NextJitterSample()
    {
        if (_jitter is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (_jitterGate)
        {
            return _jitter.NextDouble();
        }
    }
}
