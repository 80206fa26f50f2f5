using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class AdaptivePlanTests
{
    [Fact]
    public async Task RunAsync_WriterCriticLoop_StopsWhenTheCriticApproves()
    {
        await using var h = new Harness();
        PlanStep writer = PlanStep.Ask("writer", h.Echo("W"));
        // The decision sends the work back to the writer after the first review and accepts the second.
        PlanStep critic = PlanStep.Ask("critic", h.Flaky("ok", failures: 0));
        int reviews = 0;
        var plan = new AdaptivePlan("review", state => state.Last switch
        {
            null => writer,
            { Step.Name: "writer" } => critic,
            _ when ++reviews < 2 => writer,
            _ => null,
        });

        RunResult result = await h.Orchestrator().RunAsync(plan, "draft");

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["writer", "critic", "writer", "critic"], result.Steps.Select(s => s.Name));
        Assert.Equal("ok(W(ok(W(draft))))", result.Output);
    }

    [Fact]
    public async Task RunAsync_DecisionSeesTheLastOutput()
    {
        await using var h = new Harness();
        PlanStep upper = PlanStep.Ask("a", h.Echo("A"));
        PlanStep lower = PlanStep.Ask("b", h.Echo("B"));
        var plan = new AdaptivePlan("route", state => state.LastOutput switch
        {
            "start" => upper,
            "A(start)" => lower,
            _ => null,
        });

        RunResult result = await h.Orchestrator().RunAsync(plan, "start");

        Assert.Equal("B(A(start))", result.Output);
    }

    [Fact]
    public async Task RunAsync_TooManySteps_RunFails()
    {
        await using var h = new Harness();
        PlanStep again = PlanStep.Ask("again", h.Echo("A"));
        var plan = new AdaptivePlan("loop", _ => again, maxSteps: 3);

        RunResult result = await h.Orchestrator().RunAsync(plan, "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(3, result.Steps.Count);
        Assert.IsType<OrchestrationException>(result.Error);
    }

    [Fact]
    public async Task RunAsync_DecisionThrows_RunFails()
    {
        await using var h = new Harness();
        var plan = new AdaptivePlan("broken", _ => throw new InvalidOperationException("bad decision"));

        RunResult result = await h.Orchestrator().RunAsync(plan, "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Empty(result.Steps);
        Assert.IsType<InvalidOperationException>(result.Error!.InnerException);
    }

    [Fact]
    public async Task RunAsync_OptionalStepFails_DecisionSeesTheFailure()
    {
        await using var h = new Harness();
        PlanStep flaky = PlanStep.Ask("flaky", h.Flaky("F", int.MaxValue)) with { Optional = true };
        PlanStep rescue = PlanStep.Ask("rescue", h.Echo("R"));
        var plan = new AdaptivePlan("recover", state => state.Last switch
        {
            null => flaky,
            { Status: StepStatus.Failed } => rescue,
            _ => null,
        });

        RunResult result = await h.Orchestrator().RunAsync(plan, "x");

        Assert.Equal(RunStatus.Degraded, result.Status);
        Assert.Equal("R(x)", result.Output);
    }
}
