using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class ParallelPlanTests
{
    [Fact]
    public async Task RunAsync_ThreeBranchesAndAggregator_AggregatorGetsEveryPartInPlanOrder()
    {
        await using var h = new Harness();
        var plan = new ParallelPlan("fan",
            [PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("b", h.Echo("B")), PlanStep.Ask("c", h.Echo("C"))],
            PlanStep.Ask("sum", h.Echo("Sum")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("Sum[A(in)|B(in)|C(in)]", result.Output);
        Assert.Equal(["a", "b", "c", "sum"], result.Steps.Select(s => s.Name));
        StepRequest aggregation = Assert.Single(h.Log.RequestsTo("Sum"));
        Assert.Equal(["a", "b", "c"], aggregation.PartNames!);
        Assert.Equal("in", aggregation.Input);
    }

    [Fact]
    public async Task RunAsync_Branches_AreInFlightTogether()
    {
        await using var h = new Harness();
        AgentId meet = h.Spawn(() => new RendezvousAgent("Meet", 3, h.Log));
        var plan = new ParallelPlan("fan", [PlanStep.Ask("a", meet), PlanStep.Ask("b", meet), PlanStep.Ask("c", meet)]) { Separator = "," };

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal("Meet:a,Meet:b,Meet:c", result.Output);
    }

    [Fact]
    public async Task RunAsync_OptionalBranchFails_AggregatesTheOthersAndDegrades()
    {
        await using var h = new Harness();
        var plan = new ParallelPlan("fan",
            [PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("b", h.Flaky("B", int.MaxValue)) with { Optional = true }, PlanStep.Ask("c", h.Echo("C"))],
            PlanStep.Ask("sum", h.Echo("Sum")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Degraded, result.Status);
        Assert.Equal("Sum[A(in)|C(in)]", result.Output);
        Assert.Equal(StepStatus.Failed, result.Find("b")!.Status);
        Assert.Equal(["a", "c"], Assert.Single(h.Log.RequestsTo("Sum")).PartNames!);
    }

    [Fact]
    public async Task RunAsync_BranchFallsBack_FallbackIsAPart()
    {
        await using var h = new Harness();
        var plan = new ParallelPlan("fan",
            [PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("b", h.Flaky("B", int.MaxValue)) with { Fallback = "none" }],
            PlanStep.Ask("sum", h.Echo("Sum")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal("Sum[A(in)|none]", result.Output);
        Assert.Equal(RunStatus.Degraded, result.Status);
    }

    [Fact]
    public async Task RunAsync_RequiredBranchFails_RunFailsAndAggregatorIsSkipped()
    {
        await using var h = new Harness();
        var plan = new ParallelPlan("fan",
            [PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("b", h.Flaky("B", int.MaxValue))],
            PlanStep.Ask("sum", h.Echo("Sum")));

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Failed, StepStatus.Skipped], result.Steps.Select(s => s.Status));
        Assert.Equal(0, h.Log.CountOf("Sum"));
    }

    [Fact]
    public async Task RunAsync_TooFewSuccesses_RunFails()
    {
        await using var h = new Harness();
        var plan = new ParallelPlan("fan",
            [PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("b", h.Flaky("B", int.MaxValue)) with { Optional = true }])
        {
            MinSuccesses = 2,
        };

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("Only 1 of 2", Assert.IsType<OrchestrationException>(result.Error).Message);
    }

    [Fact]
    public async Task RunAsync_AggregateFunction_SeesEveryBranchResult()
    {
        await using var h = new Harness();
        var plan = new ParallelPlan("fan",
            [PlanStep.Ask("a", h.Echo("A")), PlanStep.Ask("b", h.Flaky("B", int.MaxValue)) with { Optional = true }])
        {
            Aggregate = results => string.Join(";", results.Select(r => $"{r.Name}={r.Status}")),
        };

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal("a=Succeeded;b=Failed", result.Output);
    }

    [Fact]
    public async Task RunAsync_AggregateFunctionThrows_RunFails()
    {
        await using var h = new Harness();
        var plan = new ParallelPlan("fan", [PlanStep.Ask("a", h.Echo("A"))])
        {
            Aggregate = _ => throw new InvalidOperationException("no"),
        };

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.IsType<InvalidOperationException>(Assert.IsType<OrchestrationException>(result.Error).InnerException);
    }

    [Fact]
    public async Task RunAsync_CancelOnFailure_ARequiredFailureCancelsTheBranchesStillRunning()
    {
        await using var h = new Harness();
        var plan = new ParallelPlan("fan",
            [PlanStep.Ask("hang", h.Silent("Hang")) with { Timeout = TimeSpan.FromSeconds(60) }, PlanStep.Ask("bad", h.Flaky("Bad", int.MaxValue))],
            PlanStep.Ask("sum", h.Echo("Sum")))
        { CancelOnFailure = true };

        RunResult result = await Eventually.Within(h.Orchestrator().RunAsync(plan, "in").AsTask(), "the run (the hanging branch must be cancelled)");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal([StepStatus.Cancelled, StepStatus.Failed, StepStatus.Skipped], result.Steps.Select(s => s.Status));
        Assert.Contains("Bad failure 1", result.Error!.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<OperationCanceledException>(result.Find("hang")!.Error);
        Assert.Empty(h.Log.RequestsTo("Sum"));
    }

    [Fact]
    public async Task RunAsync_CancelOnFailure_AnOptionalFailureCancelsNothing()
    {
        await using var h = new Harness();
        AgentId late = h.Spawn(() => new ToolAgent("late", async (text, token) =>
        {
            // Answers only after the optional branch has failed (and a little more), so a wrongful cancel would catch it.
            await h.Log.Entered("Bad").Task.WaitAsync(token);
            await Task.Delay(100, token);
            return "late:" + text;
        }));
        var plan = new ParallelPlan("fan", [PlanStep.Ask("late", late), PlanStep.Ask("bad", h.Flaky("Bad", int.MaxValue)) with { Optional = true }])
        {
            CancelOnFailure = true,
        };

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal((RunStatus.Degraded, "late:in"), (result.Status, result.Output));
        Assert.Equal([StepStatus.Succeeded, StepStatus.Failed], result.Steps.Select(s => s.Status));
    }
}
