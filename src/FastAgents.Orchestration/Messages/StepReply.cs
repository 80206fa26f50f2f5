using FastAgents.Serialization;

namespace FastAgents.Orchestration;

/// <summary>
/// An agent's answer to a <see cref="StepRequest"/>: an output, or an error the agent reports without throwing.
/// A reply with an <see cref="Error"/> counts as a failed attempt (retried like any transient failure).
/// </summary>
[FastMessage]
public sealed partial class StepReply
{
    /// <summary>The step's output; ignored when <see cref="Error"/> is set.</summary>
    public string? Output { get; set; }

    /// <summary>Why the step failed, or null when it succeeded.</summary>
    public string? Error { get; set; }

    /// <summary>Input (prompt) tokens the step used, as its chat client reported them; 0 when unknown or none.</summary>
    public long InputTokens { get; set; }

    /// <summary>Output (completion) tokens the step used, as its chat client reported them; 0 when unknown or none.</summary>
    public long OutputTokens { get; set; }

    /// <summary>A successful reply carrying <paramref name="output"/>.</summary>
    public static StepReply Success(string? output) => new() { Output = output };

    /// <summary>A failed reply carrying <paramref name="error"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="error"/> is null or empty.</exception>
    public static StepReply Failure(string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new StepReply { Error = error };
    }
}
