namespace FastAgents.Orchestration;

/// <summary>The record of one step of a run: what went in, what came out, how long it took, how many attempts, and the error.</summary>
/// <param name="Step">The step as planned.</param>
/// <param name="Status">What became of it.</param>
/// <param name="Input">The input it was given (null when it was skipped, or when the input was null).</param>
/// <param name="Output">The output: the agent's on success, the step's <see cref="PlanStep.Fallback"/> when it failed and has one, otherwise null.</param>
/// <param name="Attempts">Attempts made (0 when skipped).</param>
/// <param name="Started">When the first attempt started, by the orchestrator's clock.</param>
/// <param name="Elapsed">From the first attempt's start to the end of the last, retry waits included, by the orchestrator's clock.</param>
/// <param name="Error">The last attempt's error when the step failed or was cancelled; otherwise null.</param>
public sealed record StepResult(
    PlanStep Step,
    StepStatus Status,
    string? Input,
    string? Output,
    int Attempts,
    DateTimeOffset Started,
    TimeSpan Elapsed,
    Exception? Error)
{
    /// <summary>
    /// For a stage (<see cref="PlanStep.Run"/>): the records of the nested run's steps (of its last attempt, in the
    /// nested plan's order); null for an ask, and for a stage that never ran.
    /// </summary>
    public IReadOnlyList<StepResult>? Steps { get; init; }

    /// <summary>The step's name.</summary>
    public string Name => Step.Name;

    /// <summary>True when the step failed and its <see cref="PlanStep.Fallback"/> stands in for its output.</summary>
    public bool UsedFallback => Status == StepStatus.Failed && Step.Fallback is not null;
}
