using FastAgents.Cli.Load;
using FastAgents.Perf.Load;
using FastAgents.Perf.Reports;
using Xunit;

namespace FastAgents.Cli.Tests;

/// <summary>End-to-end runs against an embedded runtime, bounded by count, so nothing depends on timing.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class LoadCommandTests
{
    private static LoadSettings Quick(LoadMode mode) => new()
    {
        Mode = mode,
        Rate = 20_000,
        Duration = TimeSpan.FromSeconds(30),
        WarmUp = TimeSpan.FromMilliseconds(100),
        Count = 2_000,
        Workers = 2,
        ProgressEverySeconds = 0,
    };

    [Theory]
    [InlineData(false, 8)]
    [InlineData(true, 8)]
    [InlineData(false, 256)]
    [InlineData(true, 100)]
    public void Run_OpenModelToCount_EverySendSucceeds(bool ask, int payload)
    {
        LoadReport report = LoadScenario.Run(Quick(ask ? LoadMode.Ask : LoadMode.Tell) with { PayloadBytes = payload, Agents = 3 }, null, CancellationToken.None);

        Assert.Equal(2_000, report.Issued);
        Assert.Equal(2_000 - report.Dropped, report.Ok);
        Assert.Equal(0, report.Fail);
        Assert.Equal(0, report.Unfinished);
        Assert.Equal(LoadModel.Open, report.Model);
        Assert.True(report.HasIntendedTime);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_ClosedModelLeastBusyPool_CompletesTheCount(bool ask)
    {
        LoadSettings settings = Quick(ask ? LoadMode.Ask : LoadMode.Tell) with { Rate = null, Concurrency = 2, LeastBusy = true, Agents = 4 };

        LoadReport report = LoadScenario.Run(settings, null, CancellationToken.None);

        Assert.Equal(LoadModel.Closed, report.Model);
        Assert.Equal(2_000, report.Ok);
        Assert.Equal(0, report.Fail);
    }

    [Fact]
    public void Run_WithProgress_ProgressEndsWithTheReportsCounts()
    {
        var progress = new LoadProgress();

        LoadReport report = LoadScenario.Run(Quick(LoadMode.Tell), progress, CancellationToken.None);
        LoadProgressSnapshot snapshot = progress.Read();

        Assert.Equal(LoadPhase.Finished, snapshot.Phase);
        Assert.Equal(report.Ok, snapshot.Ok);
        Assert.Equal(report.Sent, snapshot.Sent);
    }

    [Fact]
    public void Run_MissedThreshold_ExitsWithTwoAndWritesEveryReport()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"fastagents-load-{Guid.NewGuid():N}");
        var output = new StringWriter();
        try
        {
            LoadSettings settings = Quick(LoadMode.Ask) with { MinRate = 1e12, MaxFailRate = 0.5, OutDirectory = directory };

            int exit = LoadCommand.Run(settings, output, TextWriter.Null, CancellationToken.None);

            Assert.Equal(ThresholdResult.FailedExitCode, exit);
            string text = output.ToString();
            Assert.Contains("thresholds: FAILED", text, StringComparison.Ordinal);
            Assert.Contains("p99.99", text, StringComparison.Ordinal);
            foreach (string file in new[] { "load.md", "load-summary.csv", "load-timeline.csv", "load-spectrum.csv", "load.json", "load.html" })
            {
                Assert.True(File.Exists(Path.Combine(directory, file)), file);
            }

            using FileStream json = File.OpenRead(Path.Combine(directory, "load.json"));
            LoadReport back = JsonReportWriter.Read(json);
            Assert.Equal(2_000, back.Issued);
            Assert.False(back.Thresholds!.Passed);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public void Run_ThresholdsHeld_ExitsWithZero()
    {
        LoadSettings settings = Quick(LoadMode.Tell) with { MinRate = 0, MaxFailRate = 1 };

        int exit = LoadCommand.Run(settings, TextWriter.Null, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exit);
    }

    [Theory]
    [InlineData("load", "--payload", "9")]
    [InlineData("load", "--ramp", "fast")]
    [InlineData("load", "--rate", "100", "--concurrency", "2")]
    [InlineData("load", "--mode", "shout")]
    public void Main_BadCommandLine_ExitsWithOne(params string[] args) => Assert.Equal(1, Program.Main(args));
}
