using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class RetryTests
{
    private static readonly RetryPolicy s_policy = new()
    {
        MaxAttempts = 5,
        InitialDelay = TimeSpan.FromMilliseconds(100),
        Multiplier = 2,
        MaxDelay = TimeSpan.FromMilliseconds(300),
        Jitter = 0.5,
    };

    [Theory]
    [InlineData(1, 0.5, 100)] // base
    [InlineData(2, 0.5, 200)] // doubled
    [InlineData(3, 0.5, 300)] // 400, capped
    [InlineData(1, 0.0, 50)]  // base × (1 - jitter)
    [InlineData(1, 1.0, 150)] // base × (1 + jitter)
    [InlineData(2, 1.0, 300)] // 300 after jitter, capped again
    [InlineData(60, 0.5, 300)] // far past the cap: saturates, no overflow
    public void DelayBefore_ExponentialWithJitterAndCap(int retry, double sample, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), s_policy.DelayBefore(retry, sample));
    }

    [Fact]
    public void DelayBefore_NoJitter_IgnoresTheSample()
    {
        RetryPolicy policy = RetryPolicy.Exponential(4, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), jitter: 0);

        Assert.Equal(TimeSpan.FromSeconds(4), policy.DelayBefore(3, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.DelayBefore(3, 0.99));
    }

    [Fact]
    public void RetryPolicy_BadSettings_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { MaxAttempts = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { Multiplier = 0.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { Jitter = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { MaxDelay = TimeSpan.FromTicks(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => s_policy.DelayBefore(0, 0.5));
    }

    [Fact]
    public void IsTransient_PermanentDeliveryFailures_AreNotRetried()
    {
        var target = new AgentId(1);
        Assert.False(RetryPolicy.IsTransient(new UndeliverableException(target, DeadLetterReason.NoSuchAgent)));
        Assert.False(RetryPolicy.IsTransient(new UndeliverableException(target, DeadLetterReason.NoHandler)));
        Assert.False(RetryPolicy.IsTransient(new OperationCanceledException()));
        Assert.True(RetryPolicy.IsTransient(new UndeliverableException(target, DeadLetterReason.HandlerFailed)));
        Assert.True(RetryPolicy.IsTransient(new StepFailedException("s", "busy")));
    }

    [Fact]
    public async Task RunAsync_FlakyStep_WaitsTheJitteredCappedBackoffOnTheGivenClock()
    {
        await using var h = new Harness();
        var clock = new ManualTimeProvider();
        var options = new OrchestratorOptions { Time = clock, JitterSource = new FixedRandom(0.0, 1.0, 0.5), Retry = s_policy };
        var plan = new SequentialPlan("retry", PlanStep.Ask("flaky", h.Flaky("F", failures: 3)));

        Task<RunResult> running = h.Orchestrator(options).RunAsync(plan, "in").AsTask();
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 3; i++)
        {
            TimeSpan due = clock.WaitForTimer();
            waits.Add(due);
            clock.Advance(due);
        }

        RunResult result = await Eventually.Within(running, "the retried run");

        // Retry 1: 100 ms × (1 - 0.5); retry 2: 200 ms × 1.5 = 300; retry 3: 400 capped to 300, × 1.
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300)], waits);
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("F(in)", result.Output);
        StepResult step = Assert.Single(result.Steps);
        Assert.Equal(4, step.Attempts);
        Assert.Equal(TimeSpan.FromMilliseconds(650), step.Elapsed);
        Assert.Equal(TimeSpan.FromMilliseconds(650), result.Elapsed);
        Assert.Equal([1, 2, 3, 4], h.Log.RequestsTo("F").Select(r => r.Attempt));
    }

    [Fact]
    public async Task RunAsync_RetriesExhausted_FailsWithTheLastErrorAfterMaxAttempts()
    {
        await using var h = new Harness();
        var clock = new ManualTimeProvider();
        var options = new OrchestratorOptions
        {
            Time = clock,
            JitterSource = new FixedRandom(0.5),
            Retry = s_policy with { MaxAttempts = 3 },
        };
        var plan = new SequentialPlan("retry", PlanStep.Ask("flaky", h.Flaky("F", failures: int.MaxValue, throws: true)));

        Task<RunResult> running = h.Orchestrator(options).RunAsync(plan, "in").AsTask();
        for (int i = 0; i < 2; i++)
        {
            clock.Advance(clock.WaitForTimer());
        }

        RunResult result = await Eventually.Within(running, "the failed run");

        Assert.Equal(RunStatus.Failed, result.Status);
        StepResult step = Assert.Single(result.Steps);
        Assert.Equal(3, step.Attempts);
        Assert.Equal(DeadLetterReason.HandlerFailed, Assert.IsType<UndeliverableException>(step.Error).Reason);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], clock.Requested);
    }

    [Fact]
    public async Task RunAsync_PermanentFailure_IsNotRetried()
    {
        await using var h = new Harness();
        var clock = new ManualTimeProvider();
        var plan = new SequentialPlan("retry", PlanStep.Ask("missing", Harness.Missing) with { Retry = s_policy });

        RunResult result = await h.Orchestrator(new OrchestratorOptions { Time = clock }).RunAsync(plan, "in");

        StepResult step = Assert.Single(result.Steps);
        Assert.Equal(1, step.Attempts);
        Assert.Equal(DeadLetterReason.NoSuchAgent, Assert.IsType<UndeliverableException>(step.Error).Reason);
        Assert.Empty(clock.Requested);
    }

    [Fact]
    public async Task RunAsync_ShouldRetryFilter_Decides()
    {
        await using var h = new Harness();
        var plan = new SequentialPlan("retry",
            PlanStep.Ask("flaky", h.Flaky("F", failures: 1)) with { Retry = s_policy with { ShouldRetry = _ => false } });

        RunResult result = await h.Orchestrator().RunAsync(plan, "in");

        Assert.Equal(1, Assert.Single(result.Steps).Attempts);
        Assert.Equal(RunStatus.Failed, result.Status);
    }

    [Fact]
    public async Task RunAsync_CancelledDuringBackoff_StepIsCancelled()
    {
        await using var h = new Harness();
        var clock = new ManualTimeProvider();
        var plan = new SequentialPlan("retry", PlanStep.Ask("flaky", h.Flaky("F", failures: int.MaxValue)), PlanStep.Ask("next", h.Echo("N")));
        using var cancel = new CancellationTokenSource();

        Task<RunResult> running = h.Orchestrator(new OrchestratorOptions { Time = clock, Retry = s_policy }).RunAsync(plan, "in", cancel.Token).AsTask();
        clock.WaitForTimer();
        await cancel.CancelAsync();
        RunResult result = await Eventually.Within(running, "the cancelled run");

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal([StepStatus.Cancelled, StepStatus.Skipped], result.Steps.Select(s => s.Status));
        Assert.Equal(1, result.Steps[0].Attempts);
    }
}
