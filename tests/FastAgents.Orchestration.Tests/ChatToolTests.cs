using System.Text.Json;
using FastAgents.Runtime;
using Microsoft.Extensions.AI;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class ChatToolTests
{
    private static StepRequest Request(string input) => new() { RunId = "r", Step = "s", Attempt = 1, Input = input };

    private static ValueTask<StepReply> Ask(Harness h, AgentId agent, string input) =>
        h.Runtime.AskAsync<StepRequest, StepReply>(agent, Request(input));

    /// <summary>Calls "add" with "2+3" on the user's message, then answers with the tool's result.</summary>
    private static IList<AIContent> AddOnce(IReadOnlyList<ChatMessage> messages) =>
        messages[^1].Role == ChatRole.Tool
            ? [new TextContent($"The answer is {ScriptedChatClient.Results(messages)["call-1"]}.")]
            : [ScriptedChatClient.Call("call-1", "add", "2+3")];

    private static string Add(string text) => text.Split('+').Sum(int.Parse).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ask_ModelCallsATool_TheToolAgentIsAskedAndItsOutputGoesBackToTheModel(bool streaming)
    {
        await using var h = new Harness();
        var seen = new List<string>();
        AgentId calculator = h.Spawn(() => new ToolAgent("calculator", text => { lock (seen) { seen.Add(text); } return Add(text); }));
        var client = new ScriptedChatClient(AddOnce, inputTokens: 10, outputTokens: 3);
        var pieces = new List<string>();
        AgentId agent = h.Spawn(() => new ChatAgent("math", client, new ChatAgentOptions
        {
            Streaming = streaming,
            OnUpdate = (_, piece) => { lock (pieces) { pieces.Add(piece); } },
            Tools = [new ChatTool("add", "Adds numbers written as a+b.", calculator)],
        }));

        StepReply reply = await Ask(h, agent, "What is 2+3?");

        Assert.Null(reply.Error);
        Assert.Equal("The answer is 5.", reply.Output);
        Assert.Equal((20, 6), (reply.InputTokens, reply.OutputTokens)); // two model calls
        Assert.Equal(["2+3"], seen);
        (ChatMessage[] Messages, ChatOptions? Options)[] calls = [.. client.Calls];
        Assert.Equal(2, calls.Length);
        AIFunctionDeclaration declared = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(calls[0].Options!.Tools!));
        Assert.Equal(("add", "Adds numbers written as a+b."), (declared.Name, declared.Description));
        Assert.Equal("string", declared.JsonSchema.GetProperty("properties").GetProperty("input").GetProperty("type").GetString());
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool], calls[1].Messages.Select(m => m.Role));
        FunctionResultContent result = Assert.IsType<FunctionResultContent>(Assert.Single(calls[1].Messages[2].Contents));
        Assert.Equal(("call-1", "5"), (result.CallId, result.Result?.ToString()));
        if (streaming)
        {
            Assert.Equal("The answer is 5.", string.Concat(pieces));
        }
    }

    [Fact]
    public async Task Ask_ToolStep_TheToolIsAskedUnderTheRunWithTheStepsName()
    {
        await using var h = new Harness();
        AgentId echo = h.Echo("tool");
        var client = new ScriptedChatClient(m => m[^1].Role == ChatRole.Tool
            ? [new TextContent(ScriptedChatClient.Results(m)["c"] ?? "")]
            : [ScriptedChatClient.Call("c", "echo", JsonSerializer.SerializeToElement(42))]);
        AgentId agent = h.Spawn(() => new ChatAgent("a", client, new ChatAgentOptions { Tools = [new ChatTool("echo", "Echoes.", echo)] }));

        StepReply reply = await Ask(h, agent, "go");

        StepRequest toolRequest = Assert.Single(h.Log.RequestsTo("tool"));
        Assert.Equal(("r", "s/echo", "42"), (toolRequest.RunId, toolRequest.Step, toolRequest.Input)); // a JSON number as written
        Assert.Equal("tool(42)", reply.Output);
    }

    [Fact]
    public async Task Ask_TwoCallsInOneAnswer_RunAtOnceAndEachResultKeepsItsCallId()
    {
        await using var h = new Harness();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each tool waits for the other to have started: sequential calls would time out and report errors.
        AgentId first = h.Spawn(() => new ToolAgent("first", async (text, token) =>
        {
            firstStarted.TrySetResult();
            await secondStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), token);
            return "first:" + text;
        }));
        AgentId second = h.Spawn(() => new ToolAgent("second", async (text, token) =>
        {
            secondStarted.TrySetResult();
            await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), token);
            return "second:" + text;
        }));
        var client = new ScriptedChatClient(m => m[^1].Role == ChatRole.Tool
            ? [new TextContent(string.Join(" ", ScriptedChatClient.Results(m).OrderBy(r => r.Key).Select(r => $"{r.Key}={r.Value}")))]
            : [ScriptedChatClient.Call("b", "second", "y"), ScriptedChatClient.Call("a", "first", "x")]);
        AgentId agent = h.Spawn(() => new ChatAgent("a", client, new ChatAgentOptions
        {
            Tools = [new ChatTool("first", "One.", first), new ChatTool("second", "Two.", second)],
        }));

        StepReply reply = await Eventually.Within(Ask(h, agent, "go").AsTask(), "the step");

        Assert.Equal("a=first:x b=second:y", reply.Output);
        ChatMessage toolMessage = client.Calls.Last().Messages[^1];
        Assert.Equal(["b", "a"], toolMessage.Contents.OfType<FunctionResultContent>().Select(r => r.CallId)); // in the order called
    }

    [Fact]
    public async Task Ask_BadCalls_ReportedToTheModelAsErrorsAndTheStepGoesOn()
    {
        await using var h = new Harness();
        AgentId broken = h.Spawn(() => new ToolAgent("broken", new Func<string, string?>(_ => throw new InvalidOperationException("disk on fire"))));
        var client = new ScriptedChatClient(m => m[^1].Role == ChatRole.Tool
            ? [new TextContent(string.Join(" | ", ScriptedChatClient.Results(m).OrderBy(r => r.Key).Select(r => r.Value)))]
            :
            [
                ScriptedChatClient.Call("1", "nosuch", "x"),
                new FunctionCallContent("2", "broken", new Dictionary<string, object?> { ["query"] = "x" }),
                ScriptedChatClient.Call("3", "broken", "x"),
                new FunctionCallContent("4", "broken") { Exception = new FormatException("not JSON") },
            ]);
        AgentId agent = h.Spawn(() => new ChatAgent("a", client, new ChatAgentOptions { Tools = [new ChatTool("broken", "Breaks.", broken)] }));

        StepReply reply = await Ask(h, agent, "go");

        Assert.Null(reply.Error);
        Assert.Equal(
            "Error: there is no tool called 'nosuch'. The tools are: broken. | Error: broken takes one string argument, 'input'. | "
            + "Error: InvalidOperationException: disk on fire | Error: the arguments of the call could not be read: not JSON",
            reply.Output);
    }

    [Fact]
    public async Task Ask_ToolTimesOut_ReportedToTheModel()
    {
        await using var h = new Harness();
        AgentId silent = h.Silent("silent");
        var client = new ScriptedChatClient(m => m[^1].Role == ChatRole.Tool
            ? [new TextContent(ScriptedChatClient.Results(m)["c"] ?? "")]
            : [ScriptedChatClient.Call("c", "wait", "x")]);
        AgentId agent = h.Spawn(() => new ChatAgent("a", client, new ChatAgentOptions
        {
            Tools = [new ChatTool("wait", "Never answers.", silent) { Timeout = TimeSpan.FromMilliseconds(100) }],
        }));

        StepReply reply = await Ask(h, agent, "go");

        Assert.StartsWith("Error: AskTimeoutException", reply.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_ModelNeverStopsCallingTools_StepFailsAfterMaxRounds()
    {
        await using var h = new Harness();
        int calls = 0;
        AgentId tool = h.Spawn(() => new ToolAgent("t", _ => Interlocked.Increment(ref calls).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var client = new ScriptedChatClient(m => [ScriptedChatClient.Call("c" + m.Count, "loop", "again")], inputTokens: 1, outputTokens: 1);
        AgentId agent = h.Spawn(() => new ChatAgent("a", client, new ChatAgentOptions { MaxToolRounds = 3, Tools = [new ChatTool("loop", "Loops.", tool)] }));

        StepReply reply = await Ask(h, agent, "go");

        Assert.Equal("The model was still calling tools after 3 rounds.", reply.Error);
        Assert.Equal(3, Volatile.Read(ref calls));
        Assert.Equal((4, 4), (reply.InputTokens, reply.OutputTokens)); // 4 model calls
    }

    [Fact]
    public async Task Ask_AfterAToolStep_MemoryHoldsTheQuestionAndTheFinalAnswerOnly()
    {
        await using var h = new Harness();
        AgentId calculator = h.Spawn(() => new ToolAgent("calculator", Add));
        var client = new ScriptedChatClient(m => m[^1].Role == ChatRole.Tool || m[^1].Text == "thanks"
            ? [new TextContent(m[^1].Text == "thanks" ? "welcome" : "five")]
            : [ScriptedChatClient.Call("call-1", "add", "2+3")]);
        AgentId agent = h.Spawn(() => new ChatAgent("math", client, new ChatAgentOptions { Tools = [new ChatTool("add", "Adds.", calculator)] }));

        await Ask(h, agent, "What is 2+3?");
        StepReply second = await Ask(h, agent, "thanks");

        Assert.Equal("welcome", second.Output);
        Assert.Equal(["What is 2+3?", "five", "thanks"], client.Calls.Last().Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Constructor_Tools_CallersOptionsUnchangedAndDuplicatesRefused()
    {
        await using var h = new Harness();
        AgentId tool = h.Echo("t");
        var mine = new ChatOptions { Temperature = 0.5f };
        var client = new ScriptedChatClient(_ => [new TextContent("ok")]);
        AgentId agent = h.Spawn(() => new ChatAgent("a", client, new ChatAgentOptions { ChatOptions = mine, Tools = [new ChatTool("t", "T.", tool)] }));

        await Ask(h, agent, "go");

        Assert.Null(mine.Tools);
        ChatOptions sent = client.Calls.Single().Options!;
        Assert.Equal((0.5f, "t"), (sent.Temperature, Assert.Single(sent.Tools!).Name));
        Assert.Throws<ArgumentException>(() => new ChatAgent("b", client, new ChatAgentOptions { Tools = [new ChatTool("t", "T.", tool), new ChatTool("t", "U.", tool)] }));
        Assert.Throws<ArgumentException>(() => new ChatTool("has space", "T.", tool));
        Assert.Throws<ArgumentException>(() => new ChatTool(new string('x', 65), "T.", tool));
        Assert.Throws<ArgumentException>(() => new ChatTool("t", "T.", AgentId.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatAgentOptions { MaxToolRounds = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatTool("t", "T.", tool) { Timeout = TimeSpan.Zero });
    }
}
