namespace FastAgents.Orchestration;

/// <summary>
/// An agent that wraps a .NET function: each <see cref="StepRequest"/> is rendered as text (its input alone when it
/// has no instruction and no parts; otherwise instruction, input and "name: text" parts on lines) and passed to the
/// function, whose result is the <see cref="StepReply.Output"/>. An exception from the function is a
/// <see cref="StepReply.Failure"/> carrying the exception's type and message: the asker sees a failed step, the agent
/// keeps running.
/// </summary>
/// <remarks>
/// A synchronous function runs on the agent's worker and is answered at once: keep it quick and non-blocking. An
/// asynchronous function runs until its first <c>await</c> on the worker and finishes wherever its awaited work does
/// (see <see cref="AsyncStepAgent"/>); its token is cancelled when the agent stops.
/// </remarks>
public sealed class ToolAgent : AsyncStepAgent
{
    private readonly Func<string, string?>? _function;
    private readonly Func<string, CancellationToken, Task<string?>>? _asyncFunction;

    /// <summary>Creates a tool agent over a synchronous <paramref name="function"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    public ToolAgent(string name, Func<string, string?> function, string? description = null)
        : base(name, description)
    {
        ArgumentNullException.ThrowIfNull(function);
        _function = function;
    }

    /// <summary>Creates a tool agent over an asynchronous <paramref name="function"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    public ToolAgent(string name, Func<string, CancellationToken, Task<string?>> function, string? description = null)
        : base(name, description)
    {
        ArgumentNullException.ThrowIfNull(function);
        _asyncFunction = function;
    }

    /// <inheritdoc/>
    protected override ValueTask<StepReply> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        string text = StepPrompt.Render(request);
        if (_function is not null)
        {
            // Thrown exceptions become failures in the base class.
            return new ValueTask<StepReply>(StepReply.Success(_function(text)));
        }

        return CallAsync(text, cancellationToken);
    }

    private async ValueTask<StepReply> CallAsync(string text, CancellationToken cancellationToken) =>
        StepReply.Success(await _asyncFunction!(text, cancellationToken).ConfigureAwait(false));
}
