namespace FastAgents.Orchestration;

/// <summary>
/// A plan the <see cref="Orchestrator"/> runs: <see cref="SequentialPlan"/>, <see cref="ParallelPlan"/> or
/// <see cref="AdaptivePlan"/>. Plans are immutable and may be run any number of times, concurrently.
/// </summary>
public abstract class OrchestrationPlan
{
    private protected OrchestrationPlan(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The plan's name, used in errors.</summary>
    public string Name { get; }

    /// <summary>Runs the plan on <paramref name="input"/>, recording every step in <paramref name="run"/>.</summary>
    /// <returns>The plan's output (meaningful only when the run did not stop).</returns>
    internal abstract ValueTask<string?> ExecuteAsync(RunContext run, string? input);

    private protected static PlanStep[] Copy(IEnumerable<PlanStep> steps, string what)
    {
        ArgumentNullException.ThrowIfNull(steps);
        PlanStep[] copy = [.. steps];
        if (copy.Length == 0)
        {
            throw new ArgumentException($"A plan needs at least one {what}.", nameof(steps));
        }

        foreach (PlanStep step in copy)
        {
            if (step is null)
            {
                throw new ArgumentException($"A {what} is null.", nameof(steps));
            }
        }

        return copy;
    }
}
