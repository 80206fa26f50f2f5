using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>
/// One step of a plan: an ask (<see cref="StepRequest"/> → <see cref="StepReply"/>) to one agent, or to the
/// least busy agent with a capability, or a whole plan run as one stage (<see cref="Run"/>), with its own timeout,
/// retry policy and failure handling.
/// </summary>
/// <remarks>
/// Build steps with <see cref="Ask"/> or <see cref="AskAny"/> and adjust them with <c>with</c>:
/// <c>PlanStep.Ask("critic", critic) with { Optional = true, Retry = RetryPolicy.Exponential(3, ...) }</c>.
/// </remarks>
public sealed record PlanStep
{
    private PlanStep(string name, AgentId agent, Capability? anyOf, string? instruction, OrchestrationPlan? plan = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Agent = agent;
        AnyOf = anyOf;
        Instruction = instruction;
        Plan = plan;
    }

    /// <summary>The step's name: in <see cref="StepRequest.Step"/>, in results and in the journal.</summary>
    public string Name { get; }

    /// <summary>The agent asked; <see cref="AgentId.None"/> when the step goes to a capability (<see cref="AnyOf"/>).</summary>
    public AgentId Agent { get; }

    /// <summary>The capability whose least busy agent is asked, or null when the step goes to <see cref="Agent"/>.</summary>
    public Capability? AnyOf { get; }

    /// <summary>
    /// The plan this step runs as one stage, or null for an ask. Its steps are recorded in the stage's
    /// <see cref="StepResult.Steps"/>; its output is the stage's output.
    /// </summary>
    public OrchestrationPlan? Plan { get; }

    /// <summary>A fixed instruction sent with every request of this step (<see cref="StepRequest.Instruction"/>).</summary>
    public string? Instruction { get; init; }

    /// <summary>
    /// How long one attempt may take; null for <see cref="OrchestratorOptions.StepTimeout"/>. For an ask this is the
    /// runtime ask's timeout, measured by the runtime's own clock (not <see cref="OrchestratorOptions.Time"/>); an
    /// attempt that runs out fails with <see cref="AskTimeoutException"/>. For a stage (<see cref="Plan"/>) it bounds
    /// the whole nested run, and only when set on the stage itself, measured by <see cref="OrchestratorOptions.Time"/>:
    /// the step in flight is cancelled and the attempt fails with <see cref="TimeoutException"/>.
    /// </summary>
    public TimeSpan? Timeout
    {
        get;
        init => field = value is null || value.Value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Timeout), value, "A step timeout must be positive.");
    }

    /// <summary>The retry policy; null for <see cref="OrchestratorOptions.Retry"/>.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// When true, a failure of this step (after its retries) is recorded and the run goes on where the plan allows:
    /// a sequence passes the previous output on, a parallel plan aggregates the other branches. The run's status is
    /// then <see cref="RunStatus.Degraded"/>. When false (the default), a failure ends the run as <see cref="RunStatus.Failed"/>.
    /// </summary>
    public bool Optional { get; init; }

    /// <summary>
    /// The output used in place of a failed step's; setting it makes the step optional (see <see cref="Optional"/>).
    /// </summary>
    public string? Fallback { get; init; }

    /// <summary>True when the run goes on after this step fails: <see cref="Optional"/> or a <see cref="Fallback"/>.</summary>
    public bool ToleratesFailure => Optional || Fallback is not null;

    /// <summary>A step that asks <paramref name="agent"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <paramref name="agent"/> is <see cref="AgentId.None"/>.</exception>
    public static PlanStep Ask(string name, AgentId agent, string? instruction = null)
    {
        if (agent.IsNone)
        {
            throw new ArgumentException("A step needs an agent to ask.", nameof(agent));
        }

        return new PlanStep(name, agent, null, instruction);
    }

    /// <summary>A step that asks the least busy running agent with <paramref name="capability"/> (see <see cref="AgentRuntime.AskAnyAsync{TRequest, TReply}"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static PlanStep AskAny(string name, Capability capability, string? instruction = null) =>
        new(name, AgentId.None, capability, instruction);

    /// <summary>
    /// A stage that runs <paramref name="plan"/> inside the enclosing plan: a sequence within a parallel branch, a fan-out
    /// within a sequence, plans nested to any depth. The stage's input is the nested plan's input (for a parallel
    /// plan's aggregator stage: the parts joined with the plan's <see cref="ParallelPlan.Separator"/>), and the nested
    /// plan's output is the stage's.
    /// </summary>
    /// <remarks>
    /// The stage succeeds when the nested run completes (a degraded nested run degrades the enclosing run), fails when
    /// it fails (then <see cref="Retry"/> runs the nested plan again from the start, and <see cref="Optional"/> and
    /// <see cref="Fallback"/> apply as to any step), and is cancelled with the run. <see cref="Instruction"/> is not
    /// used: each nested step has its own.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="plan"/> is null.</exception>
    public static PlanStep Run(string name, OrchestrationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanStep(name, AgentId.None, null, null, plan);
    }

    /// <inheritdoc/>
    public override string ToString() => Plan is { } plan ? $"{Name} (plan {plan.Name})"
        : AnyOf is { } capability ? $"{Name} (any {capability})"
        : $"{Name} ({Agent})";
}
