using System.Diagnostics;
using FastAgents.Cli.Load;
using FastAgents.Perf.Load;
using FastAgents.Perf.Reports;
using FastAgents.Router;
using Xunit;

namespace FastAgents.Cli.Tests;

/// <summary>
/// <c>fastagents load --router</c> against a real router on a Unix socket, bounded by count: target agents in this
/// process on a connection of their own, and in <c>fastagents load-target</c> child processes.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class RouterLoadTests : IAsyncLifetime
{
    private readonly string _socket = Path.Combine(Path.GetTempPath(), $"fa-load-test-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
    private RouterServer? _router;

    public async Task InitializeAsync()
    {
        _router = new RouterServer(new RouterOptions { SocketPath = _socket, HttpPort = null });
        await _router.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_router is not null)
        {
            await _router.StopAsync(TimeSpan.FromSeconds(1));
        }

        File.Delete(_socket);
    }

    private LoadSettings Quick(LoadMode mode) => new()
    {
        Router = "unix:" + _socket,
        Mode = mode,
        Rate = 10_000,
        Duration = TimeSpan.FromSeconds(60),
        WarmUp = TimeSpan.FromMilliseconds(100),
        Count = 2_000,
        Workers = 1,
        ProgressEverySeconds = 0,
    };

    [Theory]
    [InlineData(false, 1, false, 8)]
    [InlineData(true, 1, false, 8)]
    [InlineData(false, 2, true, 64)]
    [InlineData(true, 2, true, 100)]
    public void Run_TargetsOnTheirOwnConnection_EverySendCrossesTheRouterAndSucceeds(bool ask, int connections, bool leastBusy, int payload)
    {
        long framesBefore = _router!.Metrics.FramesIn;
        LoadSettings settings = Quick(ask ? LoadMode.Ask : LoadMode.Tell) with
        {
            TargetProcesses = 0,
            Connections = connections,
            LeastBusy = leastBusy,
            Agents = 3,
            PayloadBytes = payload,
        };

        LoadReport report = LoadScenario.Run(settings, null, CancellationToken.None);

        Assert.Equal(2_000, report.Issued);
        Assert.Equal(2_000 - report.Dropped, report.Ok);
        Assert.Equal(0, report.Fail);
        Assert.Equal(0, report.Unfinished);
        Assert.Contains("through the router", report.Title, StringComparison.Ordinal);

        // Each measured send went out and came back through the router: at least two frames in per send.
        Assert.True(_router.Metrics.FramesIn - framesBefore >= 2 * report.Ok, $"router saw {_router.Metrics.FramesIn - framesBefore} frames for {report.Ok} sends");
    }

    [Fact]
    public void Run_TargetProcesses_StartedServedAndEnded()
    {
        // Idle options travel to the children too (a child that rejected them would never get ready).
        LoadSettings settings = Quick(LoadMode.Tell) with { TargetProcesses = 2, Agents = 2, Connections = 2, Rate = null, Concurrency = 8, IdleSpin = TimeSpan.Zero, IdleYield = TimeSpan.FromMicroseconds(5) };

        LoadReport report = LoadScenario.Run(settings, null, CancellationToken.None);

        Assert.Equal(LoadModel.Closed, report.Model);
        Assert.Equal(2_000, report.Ok);
        Assert.Equal(0, report.Fail);

        // The children leave when the run ends (their standard input closes): the router ends with no connection.
        var watch = Stopwatch.StartNew();
        while (_router!.ConnectionCount != 0 && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(20);
        }

        Assert.Equal(0, _router.ConnectionCount);
    }

    [Fact]
    public void Run_RouterNotThere_ExitsWithTheSetupCodeAndSaysWhy()
    {
        var error = new StringWriter();
        LoadSettings settings = Quick(LoadMode.Tell) with { Router = "unix:" + _socket + ".missing" };

        int exit = LoadCommand.Run(settings, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(LoadCommand.SetupExitCode, exit);
        Assert.Contains("cannot join the router", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SelfCheck_CompletesEverySendWithNoRuntime()
    {
        var settings = new LoadSettings { SelfCheck = true, Rate = 50_000, Count = 5_000, WarmUp = TimeSpan.FromMilliseconds(50), Duration = TimeSpan.FromSeconds(30), ProgressEverySeconds = 0 };

        LoadReport report = LoadScenario.Run(settings, null, CancellationToken.None);

        Assert.Equal(5_000, report.Ok);
        Assert.Equal(0, report.Fail);
        Assert.Contains("self-check", report.Title, StringComparison.Ordinal);
        Assert.Contains("--self-check", (settings with { Router = "unix:/nowhere" }).Validate(), StringComparison.Ordinal);
        Assert.Contains("--self-check", (settings with { Concurrency = 2 }).Validate(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RouterOptionsWithoutRouter_AreRejected()
    {
        var inProcess = new LoadSettings { Connections = 2 };
        Assert.Contains("--router", inProcess.Validate(), StringComparison.Ordinal);
        Assert.Contains("--router", (inProcess with { Connections = 1, TargetProcesses = 3 }).Validate(), StringComparison.Ordinal);
        Assert.Contains("--connections", (Quick(LoadMode.Tell) with { Connections = 0 }).Validate(), StringComparison.Ordinal);
        Assert.Contains("--target-processes", (Quick(LoadMode.Tell) with { TargetProcesses = -1 }).Validate(), StringComparison.Ordinal);
        Assert.Contains("--idle-spin-us", (Quick(LoadMode.Tell) with { IdleSpin = TimeSpan.FromTicks(-1) }).Validate(), StringComparison.Ordinal);
        Assert.Null(Quick(LoadMode.Tell).Validate());
    }
}
