namespace FastAgents.Orchestration;

/// <summary>
/// A pipeline, A → B → C: each step gets the previous step's output as its input (the first gets the run's input),
/// and the run's output is the last step's.
/// </summary>
/// <remarks>
/// A required step that fails ends the run (<see cref="RunStatus.Failed"/>) and the steps after it are recorded as
/// <see cref="StepStatus.Skipped"/>. An optional step that fails hands on its <see cref="PlanStep.Fallback"/>, or,
/// without one, the input it was given, and the run ends <see cref="RunStatus.Degraded"/>.
/// </remarks>
public sealed class SequentialPlan : OrchestrationPlan
{
    private readonly PlanStep[] _steps;

    /// <summary>Creates a sequence of <paramref name="steps"/>, run in the order given.</summary>
    /// <exception cref="ArgumentException">There are no steps, or one is null.</exception>
    public SequentialPlan(string name, params IEnumerable<PlanStep> steps)
        : base(name)
    {
        _steps = Copy(steps, "step");
    }

    /// <summary>The steps in order.</summary>
    public IReadOnlyList<PlanStep> Steps => _steps;

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    internal override async ValueTask<string?> ExecuteAsync(RunContext run, string? input)
    {
        string? current = input;
        for (int i = 0; i < _steps.Length; i++)
        {
            if (run.Stopped)
            {
                run.Skip(_steps[i]);
                continue;
            }

            StepResult result = await run.ExecuteAsync(_steps[i], current).ConfigureAwait(false);
            if (run.Record(result))
            {
                current = RunContext.Carry(result, current);
            }
        }

        return current;
    }
}
