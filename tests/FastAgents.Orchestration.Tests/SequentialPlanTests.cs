using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class SequentialPlanTests
{
    [Fact]
    public async Task RunAsync_ThreeSteps_EachGetsThePreviousOutput()
    {
        await using var h = new Harness();
        var plan = new SequentialPlan("pipeline",
            PlanStep.Ask("a", h.Echo("A"), "first"),
            PlanStep.Ask("b", h.Echo("B")),
            PlanStep.Ask("c", h.Echo("C")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in", "run-1");

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("C(B(A(in)))", result.Output);
        Assert.Equal("run-1", result.RunId);
        Assert.Equal(["a", "b", "c"], result.Steps.Select(s => s.Name));
        Assert.Equal(["in", "A(in)", "B(A(in))"], result.Steps.Select(s => s.Input));
        Assert.All(result.Steps, s => Assert.Equal((StepStatus.Succeeded, 1, (Exception?)null), (s.Status, s.Attempts, s.Error)));
        StepRequest first = Assert.Single(h.Log.RequestsTo("A"));
        Assert.Equal(("run-1", "a", 1, "first"), (first.RunId, first.Step, first.Attempt, first.Instruction));
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task RunAsync_InlineAskContinuations_CompletesTheSame()
    {
        await using var h = new Harness(asyncContinuations: false);
        var plan = new SequentialPlan("pipeline", PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("b", h.Echo("B")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "x");

        Assert.Equal("B(A(x))", result.Output);
        Assert.Equal(32, result.RunId.Length);
    }

    [Fact]
    public async Task RunAsync_RequiredStepFails_RunFailsAndLaterStepsAreSkipped()
    {
        await using var h = new Harness();
        var plan = new SequentialPlan("pipeline",
            PlanStep.Ask("a", h.Echo("A")),
            PlanStep.Ask("bad", h.Flaky("Bad", failures: int.MaxValue)),
            PlanStep.Ask("c", h.Echo("C")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Null(result.Output);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Failed, StepStatus.Skipped], result.Steps.Select(s => s.Status));
        StepFailedException failure = Assert.IsType<StepFailedException>(result.Steps[1].Error);
        Assert.Equal("Bad failure 1", failure.Reason);
        Assert.Same(failure, Assert.IsType<OrchestrationException>(result.Error).InnerException);
        Assert.Equal(0, h.Log.CountOf("C"));
        Assert.Equal(0, result.Steps[2].Attempts);
    }

    [Fact]
    public async Task RunAsync_OptionalStepFailsWithFallback_NextStepGetsTheFallback()
    {
        await using var h = new Harness();
        var plan = new SequentialPlan("pipeline",
            PlanStep.Ask("a", h.Echo("A")),
            PlanStep.Ask("bad", h.Flaky("Bad", failures: int.MaxValue, throws: true)) with { Fallback = "fallback" },
            PlanStep.Ask("c", h.Echo("C")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Degraded, result.Status);
        Assert.Equal("C(fallback)", result.Output);
        Assert.True(result.Steps[1].UsedFallback);
        Assert.Equal(DeadLetterReason.HandlerFailed, Assert.IsType<UndeliverableException>(result.Steps[1].Error).Reason);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task RunAsync_OptionalStepFailsWithoutFallback_NextStepGetsThePreviousOutput()
    {
        await using var h = new Harness();
        var plan = new SequentialPlan("pipeline",
            PlanStep.Ask("a", h.Echo("A")),
            PlanStep.Ask("bad", h.Flaky("Bad", failures: int.MaxValue)) with { Optional = true },
            PlanStep.Ask("c", h.Echo("C")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Degraded, result.Status);
        Assert.Equal("C(A(in))", result.Output);
        Assert.False(result.Steps[1].UsedFallback);
        Assert.Null(result.Steps[1].Output);
    }

    [Fact]
    public async Task RunAsync_StepTimesOut_FailsWithAskTimeoutAndTheRunDegrades()
    {
        await using var h = new Harness();
        var plan = new SequentialPlan("pipeline",
            PlanStep.Ask("slow", h.Silent("Slow")) with { Timeout = TimeSpan.FromMilliseconds(100), Optional = true },
            PlanStep.Ask("c", h.Echo("C")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Degraded, result.Status);
        Assert.IsType<AskTimeoutException>(result.Steps[0].Error);
        Assert.Equal("C(in)", result.Output);
    }

    [Fact]
    public async Task RunAsync_CancelledMidRun_InFlightStepCancelledAndRestSkipped()
    {
        await using var h = new Harness();
        var plan = new SequentialPlan("pipeline",
            PlanStep.Ask("a", h.Echo("A")),
            PlanStep.Ask("hang", h.Silent("Hang")),
            PlanStep.Ask("c", h.Echo("C")));
        using var cancel = new CancellationTokenSource();

        Task<RunResult> running = h.Orchestrator().RunAsync(plan, "in", cancel.Token).AsTask();
        await Eventually.Within(h.Log.Entered("Hang").Task, "the second step to start");
        await cancel.CancelAsync();
        RunResult result = await Eventually.Within(running, "the cancelled run");

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Null(result.Output);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Cancelled, StepStatus.Skipped], result.Steps.Select(s => s.Status));
        Assert.IsAssignableFrom<OperationCanceledException>(result.Error);
    }

    [Fact]
    public async Task RunAsync_AlreadyCancelled_NoStepRuns()
    {
        await using var h = new Harness();
        var plan = new SequentialPlan("pipeline", PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("b", h.Echo("B")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in", new CancellationToken(canceled: true));

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal([StepStatus.Cancelled, StepStatus.Skipped], result.Steps.Select(s => s.Status));
        Assert.Equal(0, h.Log.CountOf("A"));
    }

    [Fact]
    public async Task RunAsync_StepToCapability_AskedTheLeastBusyMember()
    {
        await using var h = new Harness();
        var capability = new Capability("echo-any");
        h.Spawn(() => new EchoAgent("X", h.Log), new AgentOptions { Capabilities = [capability] });
        var plan = new SequentialPlan("pipeline", PlanStep.AskAny("any", capability));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal("X(in)", result.Output);
    }

    [Fact]
    public async Task RunAsync_WithJournal_RecordsEveryRequestAndReply()
    {
        await using var h = new Harness();
        using var journal = new MessageJournal();
        var identity = new AgentId(0xABCD);
        AgentId a = h.Echo("A");
        AgentId bad = h.Flaky("Bad", failures: int.MaxValue);
        var plan = new SequentialPlan("pipeline", PlanStep.Ask("a", a), PlanStep.Ask("bad", bad) with { Optional = true });

        RunResult result = await h.Orchestrator(new OrchestratorOptions { Journal = journal, Identity = identity }).RunAsync(plan, "in", "run-j");

        IReadOnlyList<JournalRecord> records = journal.ForRun("run-j");
        Assert.Equal(RunStatus.Degraded, result.Status);
        Assert.Equal(
            [(identity, a, MessageKind.Ask, "in", null), (a, identity, MessageKind.Reply, "A(in)", null),
             (identity, bad, MessageKind.Ask, "A(in)", null), (bad, identity, MessageKind.Reply, null, "Bad failure 1")],
            records.Select(r => (r.From, r.To, r.Kind, r.Text, r.Error)));
        Assert.Equal(2, journal.ForAgent(bad).Count);
    }

    [Fact]
    public void PlanStep_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => PlanStep.Ask("a", AgentId.None));
        Assert.Throws<ArgumentException>(() => PlanStep.Ask("", new AgentId(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlanStep.Ask("a", new AgentId(1)) with { Timeout = TimeSpan.Zero });
        Assert.Throws<ArgumentException>(() => new SequentialPlan("empty"));
    }
}
