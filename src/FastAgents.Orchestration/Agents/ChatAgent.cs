using System.Text;
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
/// </remarks>
public sealed class ChatAgent : AsyncStepAgent
{
    private readonly IChatClient _client;
    private readonly ChatAgentOptions _options;
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
        ChatResponse response = await _client.GetResponseAsync(messages, _options.ChatOptions, cancellationToken).ConfigureAwait(false);
        UsageDetails? usage = response.Usage;
        return Reply(response.Text, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0);
    }

    private async ValueTask<StepReply> StreamAsync(List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        long input = 0;
        long output = 0;
        Action<string, string>? onUpdate = _options.OnUpdate;
        await foreach (ChatResponseUpdate update in _client.GetStreamingResponseAsync(messages, _options.ChatOptions, cancellationToken).ConfigureAwait(false))
        {
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

        return Reply(text.ToString(), input, output);
    }

    private StepReply Reply(string text, long inputTokens, long outputTokens)
    {
        OrchestrationMetrics.RecordTokens(Name, inputTokens, outputTokens);
        StepReply reply = StepReply.Success(text);
        reply.InputTokens = inputTokens;
        reply.OutputTokens = outputTokens;
        return reply;
    }
}
