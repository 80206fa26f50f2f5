namespace FastAgents.Orchestration;

/// <summary>
/// An agent that stands for a person: each <see cref="StepRequest"/> is written to a <see cref="TextWriter"/> (the
/// console by default) as "[name] request" followed by a "&gt; " prompt, and the next line read from a
/// <see cref="TextReader"/> (the console by default) is the <see cref="StepReply.Output"/>.
/// </summary>
/// <remarks>
/// Reading happens off the agent's worker, so a person taking their time blocks no other agent, except with a
/// <see cref="StringReader"/>, whose lines are at hand and are read at once. When the input has ended (no more lines)
/// the step fails with "The input ended.". Steps are taken one at a time (see <see cref="AsyncStepAgent"/>), so
/// prompts and answers never interleave. A person can answer the manual speaker selection of a <see cref="GroupChat"/>
/// through this agent (<c>SpeakerSelection.Manual(agentId)</c>).
/// </remarks>
public sealed class UserProxyAgent : AsyncStepAgent
{
    /// <summary>The reply's error when the reader has no more lines.</summary>
    public const string InputEnded = "The input ended.";

    private readonly TextReader _input;
    private readonly TextWriter _output;

    /// <summary>Creates a user proxy called <paramref name="name"/>.</summary>
    /// <param name="name">The person's name in transcripts.</param>
    /// <param name="input">Where answers are read; null for <see cref="Console.In"/>.</param>
    /// <param name="output">Where requests are written; null for <see cref="Console.Out"/>.</param>
    /// <param name="description">What the person does in the team.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public UserProxyAgent(string name, TextReader? input = null, TextWriter? output = null, string? description = null)
        : base(name, description ?? "A person who answers for themselves.")
    {
        _input = input ?? Console.In;
        _output = output ?? Console.Out;
    }

    /// <inheritdoc/>
    protected override ValueTask<StepReply> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        _output.Write('[');
        _output.Write(Name);
        _output.Write("] ");
        _output.WriteLine(StepPrompt.Render(request));
        _output.Write("> ");
        _output.Flush();
        if (_input is StringReader)
        {
            return new ValueTask<StepReply>(Answer(_input.ReadLine()));
        }

        // Console.In and most readers block in ReadLine (their ReadLineAsync too): read on the thread pool.
        return new ValueTask<StepReply>(Task.Run(() => Answer(_input.ReadLine()), cancellationToken));
    }

    private StepReply Answer(string? line)
    {
        if (line is null)
        {
            _output.WriteLine();
            return StepReply.Failure(InputEnded);
        }

        if (_input is StringReader)
        {
            // Echo what the reader supplied, so a transcript written to the same writer reads like a session.
            _output.WriteLine(line);
        }

        return StepReply.Success(line);
    }
}
