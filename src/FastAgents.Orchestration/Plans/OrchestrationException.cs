namespace FastAgents.Orchestration;

/// <summary>A plan could not go on for a reason of its own (too few parallel branches succeeded, an adaptive plan ran too long, a step failed).</summary>
public sealed class OrchestrationException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/> and an optional cause.</summary>
    public OrchestrationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
