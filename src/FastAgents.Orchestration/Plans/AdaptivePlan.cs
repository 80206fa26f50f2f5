namespace FastAgents.Orchestration;

/// <summary>
/// A plan decided as it runs: before each step a decision function looks at the last output and picks the next
/// step (any agent, any settings), or null to finish with the last output.
/// </summary>
/// <remarks>
/// The decision function runs synchronously between steps, on whichever thread completed the previous one; keep it
/// short and free of blocking. Failures are handled as in <see cref="SequentialPlan"/>: a required step that fails
/// ends the run, an optional one is visible to the decision as <see cref="AdaptiveState.Last"/>. A plan that picks
/// more than <see cref="MaxSteps"/> steps fails, so a decision loop cannot run forever.
/// </remarks>
public sealed class AdaptivePlan : OrchestrationPlan
{
    private readonly Func<AdaptiveState, PlanStep?> _next;

    /// <summary>Creates an adaptive plan.</summary>
    /// <param name="name">The plan's name.</param>
    /// <param name="next">Picks the next step from the state so far; null ends the run. An exception fails the run.</param>
    /// <param name="maxSteps">The most steps one run may take; at least 1.</param>
    public AdaptivePlan(string name, Func<AdaptiveState, PlanStep?> next, int maxSteps = 16)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        _next = next;
        MaxSteps = maxSteps;
    }

    /// <summary>The most steps one run may take.</summary>
    public int MaxSteps { get; }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    internal override async ValueTask<string?> ExecuteAsync(RunContext run, string? input)
    {
        string? current = input;
        StepResult? last = null;
        int taken = 0;
        while (true)
        {
            PlanStep? step = _next(new AdaptiveState(run.RunId, input, current, last, run.Steps));
            if (step is null)
            {
                return current;
            }

            if (taken == MaxSteps)
            {
                run.Fail(new OrchestrationException($"Adaptive plan '{Name}' picked more than {MaxSteps} steps."));
                return null;
            }

            last = await run.ExecuteAsync(step, current).ConfigureAwait(false);
            taken++;
            if (!run.Record(last))
            {
                return null;
            }

            current = RunContext.Carry(last, current);
        }
    }
}
