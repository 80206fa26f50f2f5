namespace FastAgents.Orchestration;

/// <summary>How a run of a plan ended.</summary>
public enum RunStatus
{
    /// <summary>Every step that ran succeeded.</summary>
    Succeeded,

    /// <summary>The run completed, but at least one optional step or branch failed (see <see cref="PlanStep.Optional"/>).</summary>
    Degraded,

    /// <summary>A required step failed, or the plan could not go on (<see cref="RunResult.Error"/> says why).</summary>
    Failed,

    /// <summary>The run's cancellation token fired before it completed.</summary>
    Cancelled,
}
