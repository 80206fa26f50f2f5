namespace FastAgents.Orchestration;

/// <summary>
/// Fan-out and aggregate: every branch is asked at once with the run's input; when all have finished, the outputs
/// are combined by the <see cref="Aggregator"/> step (which receives them as <see cref="StepRequest.Parts"/>), or by
/// <see cref="Aggregate"/>, or joined with <see cref="Separator"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every branch runs to its end (its own timeout and retries) even when another fails, unless
/// <see cref="CancelOnFailure"/> is set: the result lists all of them.
/// A required branch that fails ends the run as <see cref="RunStatus.Failed"/> and the aggregator is skipped. An
/// optional branch that fails is left out of the parts (or contributes its <see cref="PlanStep.Fallback"/>) and the
/// run ends <see cref="RunStatus.Degraded"/>; fewer than <see cref="MinSuccesses"/> successful branches fail the run.
/// </para>
/// <para>
/// An optional aggregator that fails yields its fallback, or else the parts joined with <see cref="Separator"/>.
/// </para>
/// </remarks>
public sealed class ParallelPlan : OrchestrationPlan
{
    private readonly PlanStep[] _branches;

    /// <summary>Creates a fan-out over <paramref name="branches"/>, combined by <paramref name="aggregator"/> when given.</summary>
    /// <exception cref="ArgumentException">There are no branches, or one is null.</exception>
    public ParallelPlan(string name, IEnumerable<PlanStep> branches, PlanStep? aggregator = null)
        : base(name)
    {
        _branches = Copy(branches, "branch");
        Aggregator = aggregator;
    }

    /// <summary>The branches, in plan order (the order of the parts and of the results).</summary>
    public IReadOnlyList<PlanStep> Branches => _branches;

    /// <summary>The step that combines the branches' outputs, or null.</summary>
    public PlanStep? Aggregator { get; }

    /// <summary>
    /// Combines the branches' results in-process when there is no <see cref="Aggregator"/> step: it gets every branch's
    /// result in plan order (failed ones included) and returns the plan's output. An exception fails the run.
    /// </summary>
    public Func<IReadOnlyList<StepResult>, string?>? Aggregate { get; init; }

    /// <summary>How many branches must succeed (fallbacks do not count) for the run to go on; 0 or more (more than there are branches fails every run). Default 1.</summary>
    public int MinSuccesses
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MinSuccesses), value, "Cannot be negative.");
    } = 1;

    /// <summary>
    /// What joins the parts when there is neither an aggregator step nor <see cref="Aggregate"/>, and the input of an
    /// aggregator that is a stage (<see cref="PlanStep.Run"/>). Default a blank line.
    /// </summary>
    public string Separator { get; init; } = "\n\n";

    /// <summary>
    /// When true, the first required branch to fail (after its retries) cancels the branches still running: their
    /// asks are abandoned, their retry waits end, and they are recorded as <see cref="StepStatus.Cancelled"/>; the run
    /// ends <see cref="RunStatus.Failed"/> for the failed branch. When false (the default), every branch runs to its end.
    /// </summary>
    public bool CancelOnFailure { get; init; }

    internal override async ValueTask<string?> ExecuteAsync(RunContext run, string? input)
    {
        using CancellationTokenSource? siblings = CancelOnFailure ? CancellationTokenSource.CreateLinkedTokenSource(run.Token) : null;
        var pending = new Task<StepResult>[_branches.Length];
        for (int i = 0; i < _branches.Length; i++)
        {
            pending[i] = siblings is null ? run.ExecuteAsync(_branches[i], input).AsTask() : BranchAsync(run, _branches[i], input, siblings);
        }

        // The branches never throw: a failure is in their result.
        await Task.WhenAll(pending).ConfigureAwait(false);

        // A branch cancelled after a required sibling failed was abandoned for that failure, which decides the run.
        bool requiredFailed = siblings is not null && pending.Any(p => p.Result is { Status: StepStatus.Failed, Step.ToleratesFailure: false });
        var results = new StepResult[pending.Length];
        var parts = new List<string>(pending.Length);
        var names = new List<string>(pending.Length);
        int succeeded = 0;
        bool goOn = true;
        for (int i = 0; i < pending.Length; i++)
        {
            StepResult result = await pending[i].ConfigureAwait(false);
            results[i] = result;
            if (result.Status == StepStatus.Cancelled && requiredFailed)
            {
                run.RecordAbandoned(result);
                goOn = false;
                continue;
            }

            goOn &= run.Record(result);
            if (result.Status == StepStatus.Succeeded)
            {
                succeeded++;
            }

            if (result.Status == StepStatus.Succeeded || result.UsedFallback)
            {
                parts.Add(RunContext.Carry(result, null) ?? "");
                names.Add(result.Name);
            }
        }

        if (goOn && succeeded < MinSuccesses)
        {
            run.Fail(new OrchestrationException($"Only {succeeded} of {_branches.Length} branches of '{Name}' succeeded; it needs {MinSuccesses}."));
            goOn = false;
        }

        if (!goOn)
        {
            if (Aggregator is not null)
            {
                run.Skip(Aggregator);
            }

            return null;
        }

        if (Aggregator is not null)
        {
            StepResult combined = Aggregator.Plan is null
                ? await run.ExecuteAsync(Aggregator, input, [.. parts], [.. names]).ConfigureAwait(false)
                : await run.ExecuteAsync(Aggregator, string.Join(Separator, parts)).ConfigureAwait(false);
            return run.Record(combined) ? RunContext.Carry(combined, string.Join(Separator, parts)) : null;
        }

        return Aggregate is not null ? Aggregate(results) : string.Join(Separator, parts);
    }

    /// <summary>One branch under the stage's token; a required branch that fails cancels its siblings.</summary>
    private static async Task<StepResult> BranchAsync(RunContext run, PlanStep branch, string? input, CancellationTokenSource siblings)
    {
        StepResult result = await run.ExecuteAsync(branch, input, null, null, siblings.Token).ConfigureAwait(false);
        if (result.Status == StepStatus.Failed && !branch.ToleratesFailure)
        {
            await siblings.CancelAsync().ConfigureAwait(false);
        }

        return result;
    }
}
