using FastAgents.Orchestration;
using FastAgents.Runtime;
using Microsoft.Extensions.AI;

namespace FastAgents.Samples;

/// <summary>
/// A research team in a group chat: a planner, a writer (whose replies stream) and a critic, with the next speaker
/// chosen by the model from their descriptions, until the critic approves or eight turns have passed. When the run is
/// cancelled the planner, as admin, gives the closing word.
/// </summary>
public static class ResearchTeamSample
{
    /// <summary>The topic the sample works on.</summary>
    public const string Topic = "Ring buffers for agent messaging";

    /// <summary>Runs the team on <paramref name="topic"/> with <paramref name="client"/>, writing the transcript to <paramref name="output"/>.</summary>
    public static async Task<GroupChatResult> RunAsync(IChatClient client, TextWriter output, string topic = Topic, CancellationToken cancellationToken = default)
    {
        var runtime = new AgentRuntime(new RuntimeOptions
        {
            Name = "research-team",
            Workers = 2,
            RunAskContinuationsAsynchronously = true,
            DefaultAskTimeout = TimeSpan.FromMinutes(2),
        });
        try
        {
            AgentType type = AgentType.Register("sample-research-team");
            int streamed = 0;
            var planner = new GroupChatMember("planner", runtime.Spawn(type, 1, () => new ChatAgent("planner", client, new ChatAgentOptions
            {
                SystemPrompt = "You are the planner of a small research team. Break the topic into three points for the writer. Be brief.",
            })), "Breaks the topic into points and decides what the brief must cover.");
            var writer = new GroupChatMember("writer", runtime.Spawn(type, 2, () => new ChatAgent("writer", client, new ChatAgentOptions
            {
                SystemPrompt = "You are the writer of a small research team. Write or revise a brief of at most three sentences that covers the plan's points.",
                Streaming = true,
                OnUpdate = (_, _) => Interlocked.Increment(ref streamed),
            })), "Writes and revises the brief.");
            var critic = new GroupChatMember("critic", runtime.Spawn(type, 3, () => new ChatAgent("critic", client, new ChatAgentOptions
            {
                SystemPrompt = "You are the critic of a small research team. Check the latest draft against the plan. "
                    + "If it covers every point, answer starting with APPROVED; otherwise start with Revise and say what is missing.",
            })), "Reviews drafts and approves the final one.");

            var chat = new GroupChat(runtime, [planner, writer, critic], new GroupChatOptions
            {
                Name = "research-team",
                Selection = SpeakerSelection.Auto(client),
                MaxTurns = 8,
                TerminateWhen = static transcript => transcript[^1] is { Speaker: "critic", Text: { } text } && text.StartsWith("APPROVED", StringComparison.Ordinal),
                Admin = planner,
            });

            output.WriteLine($"topic: {topic}");
            GroupChatResult result = await chat.RunAsync(topic, "research-team", cancellationToken).ConfigureAwait(false);
            foreach (ChatEntry entry in result.Transcript)
            {
                if (entry.Turn > 0)
                {
                    output.WriteLine($"[turn {entry.Turn}] {entry.Speaker} ({entry.Selection}): {entry.Text ?? "failed: " + entry.Error}");
                }
            }

            output.WriteLine($"status {result.Status} after {result.Turns} turns; tokens in {result.InputTokens} out {result.OutputTokens}; "
                + $"writer streamed {Volatile.Read(ref streamed)} updates");
            return result;
        }
        finally
        {
            await runtime.ShutdownAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
    }
}
