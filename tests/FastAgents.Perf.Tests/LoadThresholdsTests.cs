using FastAgents.Perf.Reports;
using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class LoadThresholdsTests
{
    [Fact]
    public void Evaluate_NoThresholds_PassesWithExitCodeZero()
    {
        ThresholdResult result = new LoadThresholds().Evaluate(Report(p99Ns: 5_000_000, ok: 1000, fail: 0));

        Assert.True(result.Passed);
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void Evaluate_AllWithinLimits_Passes()
    {
        var thresholds = new LoadThresholds { MaxP99 = TimeSpan.FromMilliseconds(10), MinRate = 900, MaxFailRate = 0.01 };

        ThresholdResult result = thresholds.Evaluate(Report(p99Ns: 10_000_000, ok: 995, fail: 5));

        Assert.True(result.Passed);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.Checked.Count);
    }

    [Fact]
    public void Evaluate_P99AboveMaximum_FailsWithReason()
    {
        var thresholds = new LoadThresholds { MaxP99 = TimeSpan.FromMilliseconds(10) };

        ThresholdResult result = thresholds.Evaluate(Report(p99Ns: 10_000_001, ok: 1000, fail: 0));

        Assert.False(result.Passed);
        Assert.Equal(ThresholdResult.FailedExitCode, result.ExitCode);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("p99", Assert.Single(result.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RateBelowMinimum_FailsWithReason()
    {
        ThresholdResult result = new LoadThresholds { MinRate = 1001 }.Evaluate(Report(p99Ns: 1, ok: 1000, fail: 0));

        Assert.False(result.Passed);
        Assert.Contains("throughput", Assert.Single(result.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DropsCountAsFailures_FailRateFails()
    {
        LoadReport report = Report(p99Ns: 1, ok: 980, fail: 0, dropped: 20);

        ThresholdResult result = new LoadThresholds { MaxFailRate = 0.01 }.Evaluate(report);

        Assert.False(result.Passed);
        Assert.Contains("20 dropped", Assert.Single(result.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_EveryThresholdMissed_ListsEveryReason()
    {
        var thresholds = new LoadThresholds { MaxP99 = TimeSpan.FromMilliseconds(1), MinRate = 5000, MaxFailRate = 0 };

        ThresholdResult result = thresholds.Evaluate(Report(p99Ns: 2_000_000, ok: 900, fail: 100));

        Assert.Equal(3, result.Failures.Count);
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void Evaluate_NothingCompleted_P99ThresholdFails()
    {
        ThresholdResult result = new LoadThresholds { MaxP99 = TimeSpan.FromSeconds(1) }.Evaluate(Report(p99Ns: 0, ok: 0, fail: 0));

        Assert.False(result.Passed);
    }

    private static LoadReport Report(long p99Ns, long ok, long fail, long dropped = 0) => new()
    {
        Title = "t",
        Issued = ok + fail + dropped,
        Sent = ok + fail,
        Count = ok + fail,
        Ok = ok,
        Fail = fail,
        Dropped = dropped,
        ElapsedSeconds = 1,
        Throughput = ok,
        FailRate = (double)(fail + dropped) / Math.Max(1, ok + fail + dropped),
        Response = new LatencySummary { Count = ok + fail, P99Ns = p99Ns, MaxNs = p99Ns },
    };
}
