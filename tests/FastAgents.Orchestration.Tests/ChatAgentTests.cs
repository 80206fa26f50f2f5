using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FastAgents.Runtime;
using Microsoft.Extensions.AI;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class ChatAgentTests
{
    private static StepRequest Request(string input) => new() { RunId = "r", Step = "s", Attempt = 1, Input = input };

    private static ValueTask<StepReply> Ask(Harness h, AgentId agent, string input) =>
        h.Runtime.AskAsync<StepRequest, StepReply>(agent, Request(input));

    [Fact]
    public async Task Ask_SystemPromptAndMemory_SecondCallSeesTheFirstExchange()
    {
        await using var h = new Harness();
        var client = new FakeChatClient(messages => $"answer {messages.Count}");
        AgentId agent = h.Spawn(() => new ChatAgent("writer", client, new ChatAgentOptions { SystemPrompt = "You write." }));

        StepReply first = await Ask(h, agent, "one");
        StepReply second = await Ask(h, agent, "two");

        Assert.Equal(("answer 2", "answer 4"), (first.Output, second.Output));
        ChatMessage[][] calls = [.. client.Calls];
        Assert.Equal([ChatRole.System, ChatRole.User], calls[0].Select(m => m.Role));
        Assert.Equal(["You write.", "one", "answer 2", "two"], calls[1].Select(m => m.Text));
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], calls[1].Select(m => m.Role));
    }

    [Fact]
    public async Task Ask_MemoryLength_OldestMessagesAreDropped()
    {
        await using var h = new Harness();
        var client = new FakeChatClient(messages => messages[^1].Text.ToUpperInvariant());
        AgentId agent = h.Spawn(() => new ChatAgent("a", client, new ChatAgentOptions { MemoryLength = 2 }));

        await Ask(h, agent, "one");
        await Ask(h, agent, "two");
        await Ask(h, agent, "three");

        Assert.Equal(["two", "TWO", "three"], client.Calls.Last().Select(m => m.Text));
    }

    [Fact]
    public async Task Ask_Streaming_ChunksAreAssembledInOrder()
    {
        await using var h = new Harness();
        var chunks = new ConcurrentQueue<string>();
        var client = new FakeChatClient(_ => "Hello, streaming world!", inputTokens: 7, outputTokens: 5, chunk: 4);
        AgentId agent = h.Spawn(() => new ChatAgent("streamer", client, new ChatAgentOptions
        {
            Streaming = true,
            OnUpdate = (name, text) => chunks.Enqueue($"{name}:{text}"),
        }));

        StepReply reply = await Ask(h, agent, "go");

        Assert.Null(reply.Error);
        Assert.Equal("Hello, streaming world!", reply.Output);
        Assert.Equal(["streamer:Hell", "streamer:o, s", "streamer:trea", "streamer:ming", "streamer: wor", "streamer:ld!"], chunks);
        Assert.Equal((7L, 5L), (reply.InputTokens, reply.OutputTokens));
    }

    [Fact]
    public async Task Ask_TokenUsage_InTheReplyAndOnTheMeter()
    {
        await using var h = new Harness();
        string name = $"counted-{Guid.NewGuid():N}";
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "FastAgents.Orchestration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "agent" && (string?)tag.Value == name)
                {
                    totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
                }
            }
        });
        listener.Start();
        AgentId agent = h.Spawn(() => new ChatAgent(name, FakeChatClient.Fixed("ok", inputTokens: 12, outputTokens: 3)));

        StepReply first = await Ask(h, agent, "a");
        await Ask(h, agent, "b");

        Assert.Equal((12L, 3L), (first.InputTokens, first.OutputTokens));
        Assert.Equal(24, totals["fastagents.llm.tokens.input"]);
        Assert.Equal(6, totals["fastagents.llm.tokens.output"]);
    }

    [Fact]
    public async Task Ask_ClientThrows_FailureReplyAndTheAgentGoesOn()
    {
        await using var h = new Harness();
        AgentId agent = h.Spawn(() => new ChatAgent("broken", new ThrowingChatClient("model unavailable")));

        StepReply first = await Ask(h, agent, "a");
        StepReply second = await Ask(h, agent, "b");

        Assert.Equal("InvalidOperationException: model unavailable", first.Error);
        Assert.Equal(first.Error, second.Error);
    }

    [Fact]
    public async Task Ask_ManyAtOnce_AnsweredOneAtATimeInOrder()
    {
        await using var h = new Harness();
        var client = new FakeChatClient(messages => $"{messages[^1].Text}@{(messages.Count - 1) / 2}");
        AgentId agent = h.Spawn(() => new ChatAgent("queue", client));

        Task<StepReply>[] asks = [.. Enumerable.Range(0, 5).Select(i => Ask(h, agent, $"q{i}").AsTask())];
        StepReply[] replies = await Eventually.Within(Task.WhenAll(asks), "five replies");

        Assert.Equal(["q0@0", "q1@1", "q2@2", "q3@3", "q4@4"], replies.Select(r => r.Output));
    }

    [Fact]
    public async Task Orchestrator_ChatAgentsAsPlanSteps_OutputFlowsThrough()
    {
        await using var h = new Harness(asyncContinuations: false);
        AgentId upper = h.Spawn(() => new ChatAgent("upper", new FakeChatClient(m => m[^1].Text.ToUpperInvariant())));
        AgentId exclaim = h.Spawn(() => new ChatAgent("exclaim", new FakeChatClient(m => m[^1].Text + "!", 1, 1) { Yield = false }));

        RunResult result = await h.Orchestrator().RunAsync(new SequentialPlan("p", PlanStep.Ask("u", upper), PlanStep.Ask("e", exclaim)), "hi");

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("HI!", result.Output);
    }
}
