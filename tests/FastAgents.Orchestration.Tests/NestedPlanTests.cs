using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class NestedPlanTests
{
    private static readonly RetryPolicy s_twice = RetryPolicy.Exponential(2, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), jitter: 0);

    [Fact]
    public async Task RunAsync_ParallelStageInASequence_TheStagesOutputGoesOnAndItsStepsAreItsOwn()
    {
        await using var h = new Harness();
        var fan = new ParallelPlan("fan", [PlanStep.Ask("b", h.Echo("B")), PlanStep.Ask("c", h.Echo("C"))]) { Separator = "+" };
        var plan = new SequentialPlan("pipeline", PlanStep.Ask("a", h.Echo("A")), PlanStep.Run("stage", fan), PlanStep.Ask("d", h.Echo("D")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in", "run-n");

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("D(B(A(in))+C(A(in)))", result.Output);
        Assert.Equal(["a", "stage", "d"], result.Steps.Select(s => s.Name));
        StepResult stage = result.Find("stage")!;
        Assert.Equal((StepStatus.Succeeded, "A(in)", "B(A(in))+C(A(in))", 1), (stage.Status, stage.Input, stage.Output, stage.Attempts));
        Assert.Equal(["b", "c"], stage.Steps!.Select(s => s.Name));
        Assert.Null(result.Find("a")!.Steps);
        Assert.Equal("run-n", Assert.Single(h.Log.RequestsTo("B")).RunId);
    }

    [Fact]
    public async Task RunAsync_SequenceAsAParallelBranchAndStageAggregator_PartsAndJoinedInput()
    {
        await using var h = new Harness();
        var chain = new SequentialPlan("chain", PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("b", h.Echo("B")));
        var summary = new SequentialPlan("summary", PlanStep.Ask("sum", h.Echo("Sum")));
        var plan = new ParallelPlan("fan", [PlanStep.Run("chain", chain), PlanStep.Ask("c", h.Echo("C"))], PlanStep.Run("summary", summary)) { Separator = "|" };

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("Sum(B(A(in))|C(in))", result.Output); // the stage aggregator gets the parts joined as its input
        Assert.Equal(["chain", "c", "summary"], result.Steps.Select(s => s.Name));
        Assert.Equal(["a", "b"], result.Find("chain")!.Steps!.Select(s => s.Name));
    }

    [Fact]
    public async Task RunAsync_NestedRunDegraded_StageSucceedsAndTheRunIsDegraded()
    {
        await using var h = new Harness();
        var inner = new SequentialPlan("inner", PlanStep.Ask("x", h.Flaky("X", int.MaxValue)) with { Fallback = "fb" }, PlanStep.Ask("y", h.Echo("Y")));
        var plan = new SequentialPlan("outer", PlanStep.Run("stage", inner), PlanStep.Ask("z", h.Echo("Z")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Degraded, result.Status);
        Assert.Equal("Z(Y(fb))", result.Output);
        Assert.Equal(StepStatus.Succeeded, result.Find("stage")!.Status);
        Assert.Equal([StepStatus.Failed, StepStatus.Succeeded], result.Find("stage")!.Steps!.Select(s => s.Status));
    }

    [Fact]
    public async Task RunAsync_NestedRunFails_StageFailsTheRunUnlessItFallsBack()
    {
        await using var h = new Harness();
        var inner = new SequentialPlan("inner", PlanStep.Ask("x", h.Flaky("X", int.MaxValue)), PlanStep.Ask("y", h.Echo("Y")));

        RunResult failed = await h.Orchestrator().RunAsync(new SequentialPlan("outer", PlanStep.Run("stage", inner), PlanStep.Ask("z", h.Echo("Z"))), "in");
        RunResult fellBack = await h.Orchestrator().RunAsync(
            new SequentialPlan("outer", PlanStep.Run("stage", inner) with { Fallback = "fb" }, PlanStep.Ask("z", h.Echo("Z"))), "in");

        Assert.Equal(RunStatus.Failed, failed.Status);
        StepResult stage = failed.Find("stage")!;
        Assert.Equal(StepStatus.Failed, stage.Status);
        Assert.Contains("X failure", stage.Error!.Message, StringComparison.Ordinal);
        Assert.Equal([StepStatus.Failed, StepStatus.Skipped], stage.Steps!.Select(s => s.Status));
        Assert.Equal(StepStatus.Skipped, failed.Find("z")!.Status);
        Assert.Equal((RunStatus.Degraded, "Z(fb)"), (fellBack.Status, fellBack.Output));
    }

    [Fact]
    public async Task RunAsync_StageRetried_TheNestedPlanRunsAgainFromTheStart()
    {
        await using var h = new Harness();
        var inner = new SequentialPlan("inner", PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("x", h.Flaky("X", 1)));
        var plan = new SequentialPlan("outer", PlanStep.Run("stage", inner) with { Retry = s_twice });

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal((RunStatus.Succeeded, "X(A(in))"), (result.Status, result.Output));
        StepResult stage = result.Find("stage")!;
        Assert.Equal(2, stage.Attempts);
        Assert.Equal(2, h.Log.CountOf("A"));
        Assert.Equal([StepStatus.Succeeded, StepStatus.Succeeded], stage.Steps!.Select(s => s.Status)); // the last attempt's
    }

    [Fact]
    public async Task RunAsync_StageTimesOut_OnTheOrchestratorsClock_TheStepInFlightIsCancelledAndTheStageFails()
    {
        await using var h = new Harness();
        var clock = new ManualTimeProvider();
        var inner = new SequentialPlan("inner", PlanStep.Ask("hang", h.Silent("Hang")) with { Timeout = TimeSpan.FromSeconds(60) });
        var plan = new SequentialPlan("outer", PlanStep.Run("stage", inner) with { Timeout = TimeSpan.FromSeconds(5) });

        Task<RunResult> running = h.Orchestrator(new OrchestratorOptions { Time = clock }).RunAsync(plan, "in").AsTask();
        await Eventually.Within(h.Log.Entered("Hang").Task, "the nested step to start");
        Assert.False(running.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(5));
        RunResult result = await Eventually.Within(running, "the stage's timeout");

        Assert.Equal(RunStatus.Failed, result.Status);
        StepResult stage = result.Find("stage")!;
        Assert.IsType<TimeoutException>(stage.Error);
        Assert.Equal(StepStatus.Cancelled, Assert.Single(stage.Steps!).Status);
    }

    [Fact]
    public async Task RunAsync_CancelledInsideAStage_RunAndStageCancelled()
    {
        await using var h = new Harness();
        var inner = new SequentialPlan("inner", PlanStep.Ask("hang", h.Silent("Hang")));
        var plan = new SequentialPlan("outer", PlanStep.Run("stage", inner), PlanStep.Ask("z", h.Echo("Z")));
        using var cancel = new CancellationTokenSource();

        Task<RunResult> running = h.Orchestrator().RunAsync(plan, "in", cancel.Token).AsTask();
        await Eventually.Within(h.Log.Entered("Hang").Task, "the nested step to start");
        await cancel.CancelAsync();
        RunResult result = await Eventually.Within(running, "the cancelled run");

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal([StepStatus.Cancelled, StepStatus.Skipped], result.Steps.Select(s => s.Status));
        Assert.Equal(StepStatus.Cancelled, Assert.Single(result.Find("stage")!.Steps!).Status);
    }

    [Fact]
    public async Task RunAsync_NestedStepsJournaledUnderTheRunsId()
    {
        await using var h = new Harness();
        using var journal = new MessageJournal();
        var plan = new SequentialPlan("outer", PlanStep.Run("stage", new SequentialPlan("inner", PlanStep.Ask("a", h.Echo("A")))));

        await h.Orchestrator(new OrchestratorOptions { Journal = journal }).RunAsync(plan, "in", "run-j");

        Assert.Equal([MessageKind.Ask, MessageKind.Reply], journal.ForRun("run-j").Select(r => r.Kind));
        Assert.Equal("A(in)", journal.ForRun("run-j")[1].Text);
    }

    [Fact]
    public void Run_ChecksItsArguments()
    {
        var plan = new SequentialPlan("p", PlanStep.Ask("a", new AgentId(1)));

        Assert.Throws<ArgumentNullException>(() => PlanStep.Run("s", null!));
        Assert.Throws<ArgumentException>(() => PlanStep.Run("", plan));
        PlanStep stage = PlanStep.Run("s", plan);
        Assert.Equal((plan, AgentId.None, "s (plan p)"), (stage.Plan, stage.Agent, stage.ToString()));
    }
}
