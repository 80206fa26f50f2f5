using FastAgents.Perf.Load;
using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class LoadProgressTests
{
    [Fact]
    public void Read_BeforeTheRun_IsNotStarted()
    {
        LoadProgressSnapshot snapshot = new LoadProgress().Read();

        Assert.Equal(LoadPhase.NotStarted, snapshot.Phase);
        Assert.Equal(0, snapshot.Sent);
        Assert.Equal(-1, snapshot.LastSecond);
    }

    [Fact]
    public void Read_AfterAnOpenRun_MatchesTheResultsCounts()
    {
        var progress = new LoadProgress();
        var options = new OpenModelOptions
        {
            Schedule = RateSchedule.Constant(10_000, TimeSpan.FromMilliseconds(300)),
            WarmUp = TimeSpan.FromMilliseconds(50),
            Progress = progress,
        };

        LoadResult result = OpenModelRunner.Run(new ImmediateTarget(), options);
        LoadProgressSnapshot snapshot = progress.Read();

        Assert.Equal(LoadPhase.Finished, snapshot.Phase);
        Assert.Equal(result.Sent, snapshot.Sent);
        Assert.Equal(result.Ok, snapshot.Ok);
        Assert.Equal(3_000, snapshot.Ok);
        Assert.Equal(0, snapshot.Fail);
        Assert.Equal(result.Late, snapshot.Late);
        Assert.Equal(TimeSpan.FromMilliseconds(300), snapshot.Planned);
    }

    [Fact]
    public void Read_AfterAClosedRun_SumsEverySender()
    {
        var progress = new LoadProgress();
        var options = new ClosedModelOptions { Concurrency = 3, Duration = TimeSpan.FromSeconds(60), MaxCount = 9_000, Progress = progress };

        LoadResult result = ClosedModelRunner.Run(new ImmediateTarget(), options);
        LoadProgressSnapshot snapshot = progress.Read();

        Assert.Equal(LoadPhase.Finished, snapshot.Phase);
        Assert.Equal(9_000, result.Ok);
        Assert.Equal(result.Ok, snapshot.Ok);
        Assert.Equal(result.Sent, snapshot.Sent);
    }

    [Fact]
    public void Read_RunLongerThanASecond_PublishesTheFirstSecondsP99()
    {
        // Completions in second 0 and in second 1: the first completion of second 1 publishes second 0's p99.
        var progress = new LoadProgress();
        var options = new OpenModelOptions { Schedule = RateSchedule.Constant(1_000, TimeSpan.FromMilliseconds(1_300)), Progress = progress };

        OpenModelRunner.Run(new ImmediateTarget(), options);
        LoadProgressSnapshot snapshot = progress.Read();

        Assert.Equal(0, snapshot.LastSecond);
        Assert.True(snapshot.LastSecondP99Nanoseconds > 0);
    }

    [Fact]
    public void Run_ProgressUsedTwice_Throws()
    {
        var progress = new LoadProgress();
        var options = new OpenModelOptions { Schedule = RateSchedule.Constant(1_000, TimeSpan.FromMilliseconds(10)), Progress = progress };
        OpenModelRunner.Run(new ImmediateTarget(), options);

        Assert.Throws<InvalidOperationException>(() => OpenModelRunner.Run(new ImmediateTarget(), options));
    }
}
