using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace FastAgents.Samples;

/// <summary>
/// A deterministic stand-in for a model, so the samples run offline and in tests with the same output every time. It
/// recognises the samples' roles from the system prompt ("the planner", "the writer", "the critic", "analyst",
/// "the editor", and the speaker selector's prompt) and answers from fixed text, counting its earlier answers in the
/// conversation to move on (a second draft, an approval). Offered a <c>calculate</c> tool, the cost analyst calls it
/// once and quotes its result, as a model with function calling would. Token usage is the word count of the prompt and
/// the answer.
/// </summary>
public sealed class OfflineChatClient : IChatClient
{
    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatMessage[] conversation = [.. messages];
        if (ToolCall(conversation, options) is { } call)
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])) { Usage = Usage(conversation, "") });
        }

        string answer = Respond(conversation);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { Usage = Usage(conversation, answer) };
        return Task.FromResult(response);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatMessage[] conversation = [.. messages];
        if (ToolCall(conversation, options) is { } call)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, [call]);
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(conversation, ""))]);
            yield break;
        }

        string answer = Respond(conversation);
        int start = 0;
        while (start < answer.Length)
        {
            // One word (with the space before it) per update, as a model streams tokens.
            int next = answer.IndexOf(' ', start + 1);
            int end = next < 0 ? answer.Length : next;
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, answer[start..end]);
            start = end;
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(conversation, answer))]);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>The cost analyst's call to the calculate tool, when it is offered and has not been answered yet.</summary>
    private static FunctionCallContent? ToolCall(ChatMessage[] conversation, ChatOptions? options)
    {
        bool offered = options?.Tools?.Any(t => t.Name == "calculate") == true;
        bool cost = conversation is [{ Role.Value: "system" } system, ..] && system.Text.Contains("cost analyst", StringComparison.OrdinalIgnoreCase);
        return offered && cost && conversation[^1].Role != ChatRole.Tool
            ? new FunctionCallContent("calc-1", "calculate", new Dictionary<string, object?> { ["input"] = "2 * 4 * 5" })
            : null;
    }

    private static string Respond(ChatMessage[] conversation)
    {
        if (conversation is [.., { Role.Value: "tool" } tool]
            && tool.Contents.OfType<FunctionResultContent>().FirstOrDefault() is { } result)
        {
            return $"Fewer cores for the same load; the migration costs one team about two sprints: {result.Result} engineer-days (two sprints of four people, five days each, by the calculate tool).";
        }

        string system = conversation.Length > 0 && conversation[0].Role == ChatRole.System ? conversation[0].Text : "";
        string last = conversation.Length > 0 ? conversation[^1].Text : "";
        int earlier = 0;
        foreach (ChatMessage message in conversation)
        {
            if (message.Role == ChatRole.Assistant)
            {
                earlier++;
            }
        }

        string topic = Topic(conversation);
        if (system.Contains("who speaks next", StringComparison.OrdinalIgnoreCase))
        {
            return NextSpeaker(last);
        }

        if (system.Contains("the planner", StringComparison.OrdinalIgnoreCase))
        {
            return $"Plan for \"{topic}\": 1) say what it is, 2) give one measured figure, 3) name the trade-off. Writer, please draft it.";
        }

        if (system.Contains("the writer", StringComparison.OrdinalIgnoreCase))
        {
            return earlier == 0
                ? $"Draft 1: {topic}. Messages pass through preallocated slots, so senders and receivers never wait on a lock."
                : $"Draft 2: {topic}. Messages pass through preallocated slots, so senders and receivers never wait on a lock; "
                  + "a round trip between two threads takes well under a microsecond, at the price of a bounded queue.";
        }

        if (system.Contains("the critic", StringComparison.OrdinalIgnoreCase))
        {
            return earlier == 0
                ? "Revise: the draft needs one measured figure and the trade-off the plan asked for."
                : "APPROVED: the draft covers all three points of the plan.";
        }

        if (system.Contains("analyst", StringComparison.OrdinalIgnoreCase))
        {
            return Analysis(system);
        }

        if (system.Contains("the editor", StringComparison.OrdinalIgnoreCase))
        {
            return Merge(last);
        }

        return $"(offline) {last}";
    }

    /// <summary>After the user the planner speaks, then the writer, then the critic; after the critic, the writer again.</summary>
    private static string NextSpeaker(string prompt)
    {
        string lastSpeaker = "user";
        foreach (string line in prompt.Split('\n'))
        {
            if (line.StartsWith('[') && line.IndexOf(']', StringComparison.Ordinal) is > 1 and int close)
            {
                lastSpeaker = line[1..close];
            }
        }

        return lastSpeaker switch
        {
            "user" => "planner",
            "planner" => "writer",
            "writer" => "critic",
            _ => "writer",
        };
    }

    private static string Analysis(string system) =>
        system.Contains("performance", StringComparison.OrdinalIgnoreCase)
            ? "Latency drops from milliseconds per call to microseconds per message; throughput is bounded by the handlers, not the transport."
            : system.Contains("reliability", StringComparison.OrdinalIgnoreCase)
                ? "Supervision and dead letters replace ad-hoc retries; a bounded inbox makes overload visible instead of silent."
                : system.Contains("cost", StringComparison.OrdinalIgnoreCase)
                    ? "Fewer cores for the same load; the migration costs one team about two sprints."
                    : "No concerns from this angle.";

    /// <summary>Keeps the first sentence of each "name: text" line of the analyses, and recommends.</summary>
    private static string Merge(string prompt)
    {
        var text = new StringBuilder("Recommendation: migrate.");
        foreach (string line in prompt.Split('\n'))
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0 || line.AsSpan(0, colon).Contains(' '))
            {
                continue;
            }

            string body = line[(colon + 2)..];
            int stop = body.IndexOfAny(['.', ';']);
            text.Append(' ').Append(char.ToUpperInvariant(line[0])).Append(line.AsSpan(1, colon - 1)).Append(": ")
                .Append(stop > 0 ? body[..stop] : body).Append('.');
        }

        return text.ToString();
    }

    /// <summary>The task as the group chat sends it ("user: ..."), or the first user message.</summary>
    private static string Topic(ChatMessage[] conversation)
    {
        foreach (ChatMessage message in conversation)
        {
            if (message.Role != ChatRole.User)
            {
                continue;
            }

            string text = message.Text;
            int at = text.IndexOf("user: ", StringComparison.Ordinal);
            if (at >= 0)
            {
                int end = text.IndexOf('\n', at);
                return (end < 0 ? text[(at + 6)..] : text[(at + 6)..end]).TrimEnd('.');
            }
        }

        return "the subject";
    }

    private static UsageDetails Usage(ChatMessage[] conversation, string answer)
    {
        long input = 0;
        foreach (ChatMessage message in conversation)
        {
            input += Words(message.Text);
        }

        long output = Words(answer);
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
