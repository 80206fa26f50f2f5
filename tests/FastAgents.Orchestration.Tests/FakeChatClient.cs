using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace FastAgents.Orchestration.Tests;

/// <summary>
/// A deterministic chat client: answers with <c>respond(messages)</c>, reports fixed token usage, and streams the answer
/// in chunks of <c>chunk</c> characters followed by a usage update. Records every call's messages.
/// </summary>
public sealed class FakeChatClient(Func<IReadOnlyList<ChatMessage>, string> respond, long inputTokens = 0, long outputTokens = 0, int chunk = 3) : IChatClient
{
    public ConcurrentQueue<ChatMessage[]> Calls { get; } = new();

    /// <summary>Completes asynchronously (off the caller's thread) when true, so agents take their deferred path.</summary>
    public bool Yield { get; init; } = true;

    public static FakeChatClient Fixed(string answer, long inputTokens = 0, long outputTokens = 0) => new(_ => answer, inputTokens, outputTokens);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        string text = Answer(messages);
        if (Yield)
        {
            await Task.Yield();
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string text = Answer(messages);
        for (int i = 0; i < text.Length; i += chunk)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, text.Substring(i, Math.Min(chunk, text.Length - i)));
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens })]);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private string Answer(IEnumerable<ChatMessage> messages)
    {
        ChatMessage[] copy = [.. messages];
        Calls.Enqueue(copy);
        return respond(copy);
    }
}

/// <summary>A chat client whose calls throw.</summary>
public sealed class ThrowingChatClient(string message) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromException<ChatResponse>(new InvalidOperationException(message));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException(message);

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
