using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace FastAgents.Orchestration.Tests;

/// <summary>
/// A chat client whose every answer comes from <c>script(messages)</c>: a list of contents (text, function calls) for
/// one assistant message, with fixed token usage per call. Streaming yields each content as its own update, then the
/// usage. Records every call's messages and options.
/// </summary>
public sealed class ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, IList<AIContent>> script, long inputTokens = 0, long outputTokens = 0) : IChatClient
{
    public ConcurrentQueue<(ChatMessage[] Messages, ChatOptions? Options)> Calls { get; } = new();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        IList<AIContent> contents = Answer(messages, options);
        await Task.Yield();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IList<AIContent> contents = Answer(messages, options);
        foreach (AIContent content in contents)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, [content]) { MessageId = "m" };
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens })]) { MessageId = "m" };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    /// <summary>A function call with one argument, <c>input</c>.</summary>
    public static FunctionCallContent Call(string id, string name, object? input) =>
        new(id, name, new Dictionary<string, object?> { ["input"] = input });

    /// <summary>The function results in the last message, by call id.</summary>
    public static Dictionary<string, string?> Results(IReadOnlyList<ChatMessage> messages) =>
        messages[^1].Contents.OfType<FunctionResultContent>().ToDictionary(r => r.CallId, r => r.Result?.ToString());

    private IList<AIContent> Answer(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ChatMessage[] copy = [.. messages];
        Calls.Enqueue((copy, options));
        return script(copy);
    }
}
