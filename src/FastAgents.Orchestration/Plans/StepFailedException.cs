namespace FastAgents.Orchestration;

/// <summary>An agent answered a <see cref="StepRequest"/> with a <see cref="StepReply.Error"/>.</summary>
public sealed class StepFailedException : Exception
{
    /// <summary>Creates the exception for step <paramref name="step"/>, which reported <paramref name="reason"/>.</summary>
    public StepFailedException(string step, string reason)
        : base($"Step '{step}' failed: {reason}")
    {
        Step = step;
        Reason = reason;
    }

    /// <summary>The step's name.</summary>
    public string Step { get; }

    /// <summary>The error the agent reported.</summary>
    public string Reason { get; }
}
