namespace FastAgents.Orchestration;

/// <summary>The outcome of <see cref="Orchestrator.RunAsync(OrchestrationPlan, string?, CancellationToken)"/>: every step's record and the final output.</summary>
/// <param name="RunId">The run's id (also in every <see cref="StepRequest"/> and journal record of the run).</param>
/// <param name="Status">How the run ended.</param>
/// <param name="Output">The plan's output: the last step's in a sequence or adaptive plan, the aggregate in a parallel plan; null when the run failed or was cancelled.</param>
/// <param name="Steps">Every step in the order it was recorded (a parallel plan's branches in plan order, then its aggregator), skipped ones included.</param>
/// <param name="Started">When the run started, by the orchestrator's clock.</param>
/// <param name="Elapsed">How long the run took, by the orchestrator's clock.</param>
/// <param name="Error">Why the run failed or was cancelled; null when it completed.</param>
public sealed record RunResult(
    string RunId,
    RunStatus Status,
    string? Output,
    IReadOnlyList<StepResult> Steps,
    DateTimeOffset Started,
    TimeSpan Elapsed,
    Exception? Error)
{
    /// <summary>True when the run completed: <see cref="RunStatus.Succeeded"/> or <see cref="RunStatus.Degraded"/>.</summary>
    public bool Completed => Status is RunStatus.Succeeded or RunStatus.Degraded;

    /// <summary>The first recorded step called <paramref name="name"/> at this level, or null (a stage's nested steps are in its <see cref="StepResult.Steps"/>).</summary>
    public StepResult? Find(string name)
    {
        foreach (StepResult step in Steps)
        {
            if (string.Equals(step.Name, name, StringComparison.Ordinal))
            {
                return step;
            }
        }

        return null;
    }
}
