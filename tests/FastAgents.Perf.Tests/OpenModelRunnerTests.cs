using FastAgents.Perf.Load;
using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class OpenModelRunnerTests
{
    [Fact]
    public void Run_10kPerSecondForOneSecond_IssuesEveryScheduledSendWithinOnePercent()
    {
        var options = new OpenModelOptions { Schedule = RateSchedule.Constant(10_000, TimeSpan.FromSeconds(1)) };

        LoadResult result = OpenModelRunner.Run(new ImmediateTarget(), options);

        // The schedule fixes the count: however loaded the machine, every send is made (late ones counted), none lost.
        Assert.Equal(10_000, result.Issued);
        Assert.Equal(result.Issued, result.Sent + result.Dropped);
        Assert.Equal(0, result.Dropped);
        Assert.Equal(result.Sent, result.Ok);
        Assert.InRange(result.Ok, 9_900, 10_100);
        Assert.Equal(result.Ok, result.Response.TotalCount);
        Assert.Equal(result.Ok, result.Service.TotalCount);
        Assert.Equal(10_000, result.OfferedRate, 6);
        Assert.InRange(result.GeneratorError, 0, 1);
        Assert.Equal(result.Sent, result.Timeline.Sum(s => s.Sent));
        Assert.Equal(result.Sent, result.Timeline.Sum(s => s.Started));
        Assert.InRange(result.WorstSecondError, 0, 1);
        Assert.Equal(result.Ok, result.Timeline.Sum(s => s.Ok));
    }

    [Fact]
    public void Run_WarmUp_IsSentButNotCounted()
    {
        var target = new CountingTarget();
        var options = new OpenModelOptions
        {
            Schedule = RateSchedule.Constant(2000, TimeSpan.FromMilliseconds(250)),
            WarmUp = TimeSpan.FromMilliseconds(100),
        };

        LoadResult result = OpenModelRunner.Run(target, options);

        Assert.Equal(700, target.Count);
        Assert.Equal(500, result.Issued);
        Assert.Equal(500, result.Ok);
    }

    [Fact]
    public void Run_MaxCount_StopsAtTheCount()
    {
        var options = new OpenModelOptions
        {
            Schedule = RateSchedule.Constant(50_000, TimeSpan.FromSeconds(30)),
            MaxCount = 5_000,
        };

        LoadResult result = OpenModelRunner.Run(new ImmediateTarget(), options);

        Assert.Equal(5_000, result.Issued);
        Assert.Equal(5_000, result.Ok);
        Assert.Equal(50_000, result.OfferedRate, 6);
    }

    [Fact]
    public void Run_TargetSlowerThanTheRate_LateSendsAreCountedNotDropped()
    {
        // 2 ms of work per send at 1000/s: send k cannot start before 2k ms, so from the third send on every one is late.
        var options = new OpenModelOptions
        {
            Schedule = RateSchedule.Constant(1000, TimeSpan.FromMilliseconds(100)),
            LateThreshold = TimeSpan.FromMilliseconds(1),
        };

        LoadResult result = OpenModelRunner.Run(new SpinTarget(TimeSpan.FromMilliseconds(2)), options);

        Assert.Equal(100, result.Sent);
        Assert.Equal(0, result.Dropped);
        Assert.Equal(100, result.Ok);
        Assert.InRange(result.Late, 98, 100);

        // Response time from the intended time shows the queueing that service time hides.
        Assert.True(result.Response.Max >= 90_000_000, $"response max {result.Response.Max} ns");
        Assert.True(result.Service.Max < result.Response.Max);
        Assert.True(result.GeneratorError > 0.4, $"generator error {result.GeneratorError}");
    }

    [Fact]
    public void Run_InFlightCapReached_DropsAreCountedAndUnfinishedSendsFail()
    {
        // Nothing completes before the drain times out, so the counts do not depend on timing.
        using var target = new NeverCompletingTarget();
        var options = new OpenModelOptions
        {
            Schedule = RateSchedule.Constant(10_000, TimeSpan.FromMilliseconds(20)),
            MaxInFlight = 10,
            DrainTimeout = TimeSpan.FromMilliseconds(100),
        };

        LoadResult result = OpenModelRunner.Run(target, options);

        Assert.Equal(200, result.Issued);
        Assert.Equal(10, result.Sent);
        Assert.Equal(10, target.Started);
        Assert.Equal(190, result.Dropped);
        Assert.Equal(0, result.Ok);
        Assert.Equal(10, result.Unfinished);
        Assert.Equal(1.0, result.FailRate, 9);
        Assert.Equal(190, result.Timeline.Sum(s => s.Dropped));
    }

    [Fact]
    public void Run_FailingAndThrowingSends_CountAsFailures()
    {
        var options = new OpenModelOptions { Schedule = RateSchedule.Constant(10_000, TimeSpan.FromMilliseconds(30)) };

        LoadResult result = OpenModelRunner.Run(new FailingTarget(), options);

        Assert.Equal(300, result.Issued);
        Assert.Equal(100, result.Ok);
        Assert.Equal(200, result.Fail);
    }

    [Fact]
    public async Task Run_AsynchronousCompletions_AreMeasured()
    {
        var options = new OpenModelOptions { Schedule = RateSchedule.Constant(2_000, TimeSpan.FromMilliseconds(100)) };

        LoadResult result = await Task.Run(() => OpenModelRunner.Run(new YieldingTarget(), options)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(200, result.Issued);
        Assert.Equal(200, result.Ok + result.Dropped);
        Assert.Equal(0, result.Unfinished);
        Assert.Equal(result.Ok, result.Service.TotalCount);
    }

    [Fact]
    public void Run_Cancelled_StopsEarly()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var options = new OpenModelOptions { Schedule = RateSchedule.Constant(100, TimeSpan.FromHours(1)) };

        LoadResult result = OpenModelRunner.Run(new ImmediateTarget(), options, cancellation.Token);

        Assert.InRange(result.Issued, 1, 100_000);
        Assert.Equal(result.Issued, result.Ok);
    }

    [Fact]
    public void Run_CancelledDuringALongWait_ReturnsWithoutWaitingForTheNextSend()
    {
        // One send now and the next in 100 s: cancellation must end the wait, not the schedule.
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var options = new OpenModelOptions { Schedule = RateSchedule.Constant(0.01, TimeSpan.FromSeconds(200)) };

        LoadResult result = OpenModelRunner.Run(new ImmediateTarget(), options, cancellation.Token);

        Assert.Equal(1, result.Issued);
        Assert.Equal(1, result.Ok);
    }

    [Fact]
    public void SelfCheck_ShortRun_ReportsTheGeneratorError()
    {
        LoadResult result = LoadSelfCheck.Run(100_000, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50));

        Assert.Equal(20_000, result.Issued);
        Assert.Equal(20_000, result.Ok);
        Assert.InRange(result.GeneratorError, 0, 1);
    }

    private sealed class CountingTarget : ILoadTarget
    {
        public long Count { get; private set; }

        public ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken)
        {
            Count++;
            return new ValueTask<bool>(true);
        }
    }

    private sealed class FailingTarget : ILoadTarget
    {
        public ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken) => (sequence % 3) switch
        {
            0 => new ValueTask<bool>(true),
            1 => new ValueTask<bool>(false),
            _ => throw new InvalidOperationException("the target failed"),
        };
    }

    private sealed class YieldingTarget : ILoadTarget
    {
        public async ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return true;
        }
    }

    private sealed class NeverCompletingTarget : ILoadTarget, IDisposable
    {
        private readonly TaskCompletionSource<bool> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            return new ValueTask<bool>(_gate.Task);
        }

        public void Dispose() => _gate.TrySetResult(false);
    }
}
