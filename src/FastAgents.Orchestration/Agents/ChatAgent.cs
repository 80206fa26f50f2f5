using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace FastAgents.Orchestration;

/// <summary>
/// An agent backed by a language model through <see cref="IChatClient"/>: each <see cref="StepRequest"/> becomes a user
/// message (instruction, input and parts, see <see cref="StepRequest"/>), sent after the system prompt and the
/// conversation so far; the model's text is the <see cref="StepReply.Output"/>.
/// </summary>
/// <remarks>
/// <para>
/// The call runs off the agent's worker (see <see cref="AsyncStepAgent"/>), one step at a time, so memory grows in
/// order: after a successful step the user message and the model's answer are remembered, up to
/// <see cref="ChatAgentOptions.MemoryLength"/> messages. A failed call (the client throws) is a
/// <see cref="StepReply.Failure"/> and leaves memory unchanged.
/// </para>
/// <para>
/// Token usage the client reports (<see cref="ChatResponse.Usage"/>, or <see cref="UsageContent"/> in streamed
/// updates) is returned in <see cref="StepReply.InputTokens"/> and <see cref="StepReply.OutputTokens"/> and counted on
/// the meter "FastAgents.Orchestration" (<c>fastagents.llm.tokens.input</c> and <c>.output</c>, tag <c>agent</c>).
/// The agent does not dispose the client; one client may serve many agents if it is thread-safe.
/// </para>
/// <para>
/// With <see cref="ChatAgentOptions.Tools"/>, the model may answer with function calls instead of text. Each call is an
/// ask to the tool's agent (a <see cref="StepRequest"/> whose <see cref="StepRequest.Input"/> is the call's
/// <c>input</c> argument and whose <see cref="StepRequest.Step"/> is "step/tool"); the calls of one answer run at
/// once. Their outputs go back to the model as function results and the model is called again, up to
/// <see cref="ChatAgentOptions.MaxToolRounds"/> times. A tool that fails, times out or does not exist is reported to
/// the model as a result starting "Error:", so the model can recover; the step fails only when the rounds run out.
/// Memory keeps the user message and the final answer, not the tool exchanges; token usage sums every call.
/// </para>
/// </remarks>
public sealed class ChatAgent : AsyncStepAgent
{
    private readonly IChatClient _client;
    private readonly ChatAgentOptions _options;
    private readonly ChatOptions? _chatOptions;
    private readonly Dictionary<string, ChatTool>? _tools;
    private readonly List<ChatMessage> _memory = [];

    /// <summary>Creates a chat agent called <paramref name="name"/> over <paramref name="client"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public ChatAgent(string name, IChatClient client, ChatAgentOptions? options = null)
        : base(name, options?.Description)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new ChatAgentOptions();
        _chatOptions = _options.ChatOptions;
        if (_options.Tools is { Count: > 0 } tools)
        {
            _tools = new Dictionary<string, ChatTool>(StringComparer.Ordinal);
            ChatOptions chatOptions = _chatOptions?.Clone() ?? new ChatOptions();
            List<AITool> declared = chatOptions.Tools is { } existing ? [.. existing] : [];
            foreach (ChatTool tool in tools)
            {
                ArgumentNullException.ThrowIfNull(tool, nameof(options));
                if (!_tools.TryAdd(tool.Name, tool))
                {
                    throw new ArgumentException($"Two tools are called '{tool.Name}'.", nameof(options));
                }

                declared.Add(tool.Declaration);
            }

            chatOptions.Tools = declared;
            _chatOptions = chatOptions;
        }
    }

    /// <summary>The number of messages in memory (read it from the agent's worker only).</summary>
    public int MemoryCount => _memory.Count;

    /// <inheritdoc/>
    protected override ValueTask<StepReply> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        // Built here, on the worker: memory changes only in OnStepCompleted, also on the worker.
        var messages = new List<ChatMessage>(_memory.Count + 2);
        if (!string.IsNullOrEmpty(_options.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, _options.SystemPrompt));
        }

        messages.AddRange(_memory);
        messages.Add(new ChatMessage(ChatRole.User, StepPrompt.Render(request)));
        if (_tools is not null)
        {
            return ConverseAsync(request, messages, cancellationToken);
        }

        return _options.Streaming ? StreamAsync(messages, cancellationToken) : AskAsync(messages, cancellationToken);
    }

    /// <inheritdoc/>
    protected override void OnStepCompleted(StepRequest request, StepReply reply)
    {
        if (reply.Error is not null || _options.MemoryLength == 0)
        {
            return;
        }

        _memory.Add(new ChatMessage(ChatRole.User, StepPrompt.Render(request)));
        _memory.Add(new ChatMessage(ChatRole.Assistant, reply.Output ?? ""));
        int excess = _memory.Count - _options.MemoryLength;
        if (excess > 0)
        {
            _memory.RemoveRange(0, excess);
        }
    }

    private async ValueTask<StepReply> AskAsync(List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        ChatResponse response = await _client.GetResponseAsync(messages, _chatOptions, cancellationToken).ConfigureAwait(false);
        UsageDetails? usage = response.Usage;
        return Reply(response.Text, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0);
    }

    private async ValueTask<StepReply> StreamAsync(List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        (string text, _, long input, long output) = await StreamOnceAsync(messages, null, cancellationToken).ConfigureAwait(false);
        return Reply(text, input, output);
    }

    /// <summary>
    /// One streamed call: the text (each piece passed to <see cref="ChatAgentOptions.OnUpdate"/> as it comes), the
    /// updates when <paramref name="updates"/> collects them (to find function calls), and the tokens reported.
    /// </summary>
    private async ValueTask<(string Text, List<ChatResponseUpdate>? Updates, long Input, long Output)> StreamOnceAsync(
        List<ChatMessage> messages, List<ChatResponseUpdate>? updates, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        long input = 0;
        long output = 0;
        Action<string, string>? onUpdate = _options.OnUpdate;
        await foreach (ChatResponseUpdate update in _client.GetStreamingResponseAsync(messages, _chatOptions, cancellationToken).ConfigureAwait(false))
        {
            updates?.Add(update);
            foreach (AIContent content in update.Contents)
            {
                if (content is TextContent { Text: { Length: > 0 } piece })
                {
                    text.Append(piece);
                    onUpdate?.Invoke(Name, piece);
                }
                else if (content is UsageContent { Details: { } details })
                {
                    input += details.InputTokenCount ?? 0;
                    output += details.OutputTokenCount ?? 0;
                }
            }
        }

        return (text.ToString(), updates, input, output);
    }

    /// <summary>Calls the model, and the tools it asks for, until it answers with text or the rounds run out.</summary>
    private async ValueTask<StepReply> ConverseAsync(StepRequest request, List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        long input = 0;
        long output = 0;
        for (int round = 0; ; round++)
        {
            List<ChatMessage> answer;
            string text;
            if (_options.Streaming)
            {
                (text, List<ChatResponseUpdate>? updates, long i, long o) = await StreamOnceAsync(messages, [], cancellationToken).ConfigureAwait(false);
                input += i;
                output += o;
                answer = [.. updates!.ToChatResponse().Messages];
            }
            else
            {
                ChatResponse response = await _client.GetResponseAsync(messages, _chatOptions, cancellationToken).ConfigureAwait(false);
                input += response.Usage?.InputTokenCount ?? 0;
                output += response.Usage?.OutputTokenCount ?? 0;
                text = response.Text;
                answer = [.. response.Messages];
            }

            List<FunctionCallContent> calls = [.. answer.SelectMany(static m => m.Contents).OfType<FunctionCallContent>()];
            if (calls.Count == 0)
            {
                return Reply(text, input, output);
            }

            if (round >= _options.MaxToolRounds)
            {
                return Counted(StepReply.Failure($"The model was still calling tools after {_options.MaxToolRounds} rounds."), input, output);
            }

            messages.AddRange(answer);
            var results = new Task<string>[calls.Count];
            for (int c = 0; c < calls.Count; c++)
            {
                results[c] = CallToolAsync(request, calls[c], cancellationToken);
            }

            await Task.WhenAll(results).ConfigureAwait(false);
            var contents = new List<AIContent>(calls.Count);
            for (int c = 0; c < calls.Count; c++)
            {
                contents.Add(new FunctionResultContent(calls[c].CallId, await results[c].ConfigureAwait(false)));
            }

            messages.Add(new ChatMessage(ChatRole.Tool, contents));
        }
    }

    /// <summary>Asks the tool's agent for one call: its output, or "Error: ..." for the model. Throws only when the step is cancelled.</summary>
    private async Task<string> CallToolAsync(StepRequest request, FunctionCallContent call, CancellationToken cancellationToken)
    {
        if (!_tools!.TryGetValue(call.Name, out ChatTool? tool))
        {
            return $"Error: there is no tool called '{call.Name}'. The tools are: {string.Join(", ", _tools.Keys)}.";
        }

        if (call.Exception is { } unreadable)
        {
            return $"Error: the arguments of the call could not be read: {unreadable.Message}";
        }

        if (!TryInput(call.Arguments, out string? input))
        {
            return $"Error: {tool.Name} takes one string argument, 'input'.";
        }

        var toolRequest = new StepRequest { RunId = request.RunId, Step = $"{request.Step}/{tool.Name}", Attempt = 1, Input = input };
        try
        {
            StepReply reply = await GroupChat.AskAsync(Runtime!, tool.Agent, toolRequest, tool.Timeout, cancellationToken).ConfigureAwait(false);
            return reply.Error is null ? reply.Output ?? "" : $"Error: {reply.Error}";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return $"Error: {e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>The call's <c>input</c> argument as text (a JSON string's value, other JSON as written); false when it has none.</summary>
    private static bool TryInput(IDictionary<string, object?>? arguments, out string? input)
    {
        input = null;
        if (arguments is null || !arguments.TryGetValue("input", out object? value))
        {
            return false;
        }

        input = value switch
        {
            null => null,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement e => e.GetRawText(),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
        return true;
    }

    private StepReply Reply(string text, long inputTokens, long outputTokens) => Counted(StepReply.Success(text), inputTokens, outputTokens);

    /// <summary><paramref name="reply"/> with the step's tokens, which are also counted on the meter.</summary>
    private StepReply Counted(StepReply reply, long inputTokens, long outputTokens)
    {
        OrchestrationMetrics.RecordTokens(Name, inputTokens, outputTokens);
        reply.InputTokens = inputTokens;
        reply.OutputTokens = outputTokens;
        return reply;
    }
}
