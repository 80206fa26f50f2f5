namespace FastAgents.Orchestration;

/// <summary>What became of one step of a run.</summary>
public enum StepStatus
{
    /// <summary>An attempt succeeded; <see cref="StepResult.Output"/> is its output.</summary>
    Succeeded,

    /// <summary>Every attempt failed (or the failure was not worth retrying); <see cref="StepResult.Error"/> is the last error.</summary>
    Failed,

    /// <summary>
    /// The run was cancelled while this step was being attempted or waiting to retry; or, in a
    /// <see cref="ParallelPlan"/> with <see cref="ParallelPlan.CancelOnFailure"/>, a required sibling branch failed
    /// (the run then ends <see cref="RunStatus.Failed"/>, not cancelled).
    /// </summary>
    Cancelled,

    /// <summary>The step never ran: the run had already failed or been cancelled.</summary>
    Skipped,
}
