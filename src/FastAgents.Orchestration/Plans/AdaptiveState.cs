namespace FastAgents.Orchestration;

/// <summary>What an <see cref="AdaptivePlan"/>'s decision function sees before it picks the next step.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Input">The run's input.</param>
/// <param name="LastOutput">The latest output: the last step's, its fallback, or (after an optional failure without one, and before the first step) the one before.</param>
/// <param name="Last">The last step's result; null before the first step. It may be a tolerated failure.</param>
/// <param name="Steps">Every step recorded so far; valid during the call only (copy it to keep it).</param>
public sealed record AdaptiveState(string RunId, string? Input, string? LastOutput, StepResult? Last, IReadOnlyList<StepResult> Steps);
