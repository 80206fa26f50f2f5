using FastAgents.Serialization;

namespace FastAgents.Orchestration;

/// <summary>
/// What the orchestrator asks an agent to do for one step of a plan. An agent that takes part in plans
/// implements <c>IHandle&lt;StepRequest&gt;</c> and answers every request with exactly one <see cref="StepReply"/>.
/// </summary>
/// <remarks>
/// A class message: it goes through the serializer, and each delivery is a fresh instance the handler may keep.
/// </remarks>
[FastMessage]
public sealed partial class StepRequest
{
    /// <summary>The run this step belongs to (<see cref="RunResult.RunId"/>).</summary>
    public string RunId { get; set; } = "";

    /// <summary>The step's name in the plan (<see cref="PlanStep.Name"/>).</summary>
    public string Step { get; set; } = "";

    /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
    public int Attempt { get; set; }

    /// <summary>The step's fixed instruction (<see cref="PlanStep.Instruction"/>), or null.</summary>
    public string? Instruction { get; set; }

    /// <summary>
    /// The text the step works on: the run's input for a first step or a parallel branch, the previous step's
    /// output in a sequence, the latest output in an adaptive plan.
    /// </summary>
    public string? Input { get; set; }

    /// <summary>For the aggregator of a parallel plan: the outputs of the branches that succeeded (or fell back), in plan order; otherwise null.</summary>
    public string[]? Parts { get; set; }

    /// <summary>The names of the branches in <see cref="Parts"/>, index for index; otherwise null.</summary>
    public string[]? PartNames { get; set; }
}
