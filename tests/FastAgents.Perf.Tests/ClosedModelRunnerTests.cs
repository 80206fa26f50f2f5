using FastAgents.Perf.Load;
using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class ClosedModelRunnerTests
{
    [Fact]
    public void Run_MaxCount_CompletesExactlyThatMany()
    {
        var options = new ClosedModelOptions
        {
            Concurrency = 2,
            Duration = TimeSpan.FromSeconds(60),
            MaxCount = 20_000,
        };

        LoadResult result = ClosedModelRunner.Run(new ImmediateTarget(), options);

        Assert.Equal(LoadModel.Closed, result.Model);
        Assert.Equal(20_000, result.Ok);
        Assert.Equal(20_000, result.Sent);
        Assert.Equal(0, result.Fail);
        Assert.Equal(0, result.Dropped);
        Assert.Equal(0, result.Unfinished);
        Assert.Equal(20_000, result.Service.TotalCount);
        Assert.Equal(result.Ok, result.Timeline.Sum(s => s.Ok));
    }

    [Fact]
    public void Run_OneSenderWithThinkTime_SendsNoFasterThanThinkTimeAllows()
    {
        var options = new ClosedModelOptions
        {
            Concurrency = 1,
            ThinkTime = TimeSpan.FromMilliseconds(10),
            Duration = TimeSpan.FromMilliseconds(200),
        };

        LoadResult result = ClosedModelRunner.Run(new ImmediateTarget(), options);

        // At most one send per 10 ms of think time over 200 ms: 20, plus the one at the start (fewer on a busy machine).
        Assert.InRange(result.Ok, 0, 21);
        Assert.Equal(result.Ok, result.Sent);
    }

    [Fact]
    public void Run_WarmUp_IsExcluded()
    {
        var options = new ClosedModelOptions
        {
            Concurrency = 1,
            ThinkTime = TimeSpan.FromMilliseconds(5),
            WarmUp = TimeSpan.FromMilliseconds(100),
            Duration = TimeSpan.FromMilliseconds(100),
        };

        var target = new CountingTarget();
        LoadResult result = ClosedModelRunner.Run(target, options);

        Assert.InRange(result.Ok, 0, 21);
        Assert.True(target.Count >= result.Ok);
        Assert.Equal(TimeSpan.FromMilliseconds(100), result.WarmUp);
    }

    private sealed class CountingTarget : ILoadTarget
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return new ValueTask<bool>(true);
        }
    }
}
