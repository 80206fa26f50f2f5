using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class UserProxyAndToolAgentTests
{
    private static ValueTask<StepReply> Ask(Harness h, AgentId agent, string input, string? instruction = null) =>
        h.Runtime.AskAsync<StepRequest, StepReply>(agent, new StepRequest { RunId = "r", Step = "s", Attempt = 1, Input = input, Instruction = instruction });

    [Fact]
    public async Task UserProxy_ReadsEachAnswerAndWritesEachPrompt()
    {
        await using var h = new Harness();
        var output = new StringWriter();
        AgentId proxy = h.Spawn(() => new UserProxyAgent("ana", new StringReader("yes\nno\n"), output));

        StepReply first = await Ask(h, proxy, "Ship it?", "Answer yes or no.");
        StepReply second = await Ask(h, proxy, "Again?");
        StepReply third = await Ask(h, proxy, "And again?");

        Assert.Equal(("yes", "no"), (first.Output, second.Output));
        Assert.Equal(UserProxyAgent.InputEnded, third.Error);
        Assert.Equal("[ana] Answer yes or no.\n\nShip it?\n> yes\n[ana] Again?\n> no\n[ana] And again?\n> \n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task UserProxy_OtherReader_ReadOffTheWorker()
    {
        await using var h = new Harness();
        var output = new StringWriter();
        using var reader = new StreamReader(new MemoryStream("from a stream\n"u8.ToArray()));
        AgentId proxy = h.Spawn(() => new UserProxyAgent("bo", reader, output));

        StepReply reply = await Eventually.Within(Ask(h, proxy, "Say something").AsTask(), "the proxy's answer");

        Assert.Equal("from a stream", reply.Output);
        Assert.StartsWith("[bo] Say something", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tool_SyncFunction_CalledWithTheInput()
    {
        await using var h = new Harness();
        int calls = 0;
        AgentId tool = h.Spawn(() => new ToolAgent("length", text => { Interlocked.Increment(ref calls); return text.Length.ToString(); }));

        StepReply reply = await Ask(h, tool, "hello");

        Assert.Equal("5", reply.Output);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Tool_FunctionThrows_FailureAndTheAgentGoesOn()
    {
        await using var h = new Harness();
        AgentId tool = h.Spawn(() => new ToolAgent("parse", text => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        StepReply bad = await Ask(h, tool, "not a number");
        StepReply good = await Ask(h, tool, "42");

        Assert.StartsWith("FormatException: ", bad.Error, StringComparison.Ordinal);
        Assert.Null(bad.Output);
        Assert.Equal("42", good.Output);
    }

    [Fact]
    public async Task Tool_AsyncFunction_ResultAndExceptionBothReported()
    {
        await using var h = new Harness();
        AgentId tool = h.Spawn(() => new ToolAgent("lookup", async (text, ct) =>
        {
            await Task.Delay(1, ct);
            return text == "boom" ? throw new KeyNotFoundException("no entry for boom") : $"found {text}";
        }));

        StepReply found = await Ask(h, tool, "x");
        StepReply missing = await Ask(h, tool, "boom");

        Assert.Equal("found x", found.Output);
        Assert.Equal("KeyNotFoundException: no entry for boom", missing.Error);
    }

    [Fact]
    public async Task Tool_InAPlan_FailureIsAFailedStep()
    {
        await using var h = new Harness();
        AgentId tool = h.Spawn(() => new ToolAgent("fails", string? (_) => throw new InvalidOperationException("nope")));

        RunResult result = await h.Orchestrator().RunAsync(new SequentialPlan("p", PlanStep.Ask("t", tool)), "in");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("InvalidOperationException: nope", Assert.IsType<StepFailedException>(result.Steps[0].Error).Reason);
    }
}
