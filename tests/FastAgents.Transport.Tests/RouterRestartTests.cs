using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FastAgents.Router;
using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Transport.Tests;

/// <summary>The router goes away (stopped in process, or its process killed) and a new one takes its socket path.</summary>
public sealed class RouterRestartTests
{
    private static readonly AgentType s_worker = AgentType.Register("transport-tests/restart");
    private static readonly TimeSpan s_startup = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task RouterClient_RouterRestartedOnSamePath_ReconnectsAndReregisters()
    {
        await using Cluster cluster = await Cluster.StartAsync();
        var inA = new AgentId(s_worker, 401);
        var inB = new AgentId(s_worker, 402);
        (AgentRuntime a, RouterClient clientA) = await cluster.JoinAsync("a", r => r.Spawn<Recorder>(s_worker, inA.Key));
        (AgentRuntime b, RouterClient clientB) = await cluster.JoinAsync("b", r => r.Spawn<Recorder>(s_worker, inB.Key));
        cluster.WaitForAgents(2);
        await AskAsync(a, inB, 1);
        await AskAsync(b, inA, 2);

        RouterServer old = cluster.Router;
        await cluster.RestartRouterAsync();
        Assert.NotSame(old, cluster.Router);
        Eventually.True(() => old.ConnectionCount == 0, "the old router to drop its connections");

        Eventually.True(() => clientA.Reconnections >= 1 && clientB.Reconnections >= 1, "both clients to reconnect by themselves");
        Assert.True(clientA.WaitConnected(TimeSpan.FromSeconds(30)), "a did not reconnect");
        Assert.True(clientB.WaitConnected(TimeSpan.FromSeconds(30)), "b did not reconnect");
        RouterServer router = cluster.Router;
        Eventually.True(
            () => router.Table.Owner(inA.Value) is { } ownerA && router.Table.Owner(inB.Value) is { } ownerB && ownerA != ownerB,
            "the new router to learn each agent from its own process");
        Assert.Equal(2, router.AgentCount);
        Assert.Equal(2, router.ConnectionCount);

        for (int i = 0; i < 50; i++)
        {
            await AskAsync(a, inB, 100 + i);
            await AskAsync(b, inA, 200 + i);
        }

        int before = Recorder.CountFor(inB);
        for (int i = 0; i < 1_000; i++)
        {
            Assert.Equal(SendStatus.Sent, a.Tell(inB, new Ping(i)));
        }

        Eventually.True(() => Recorder.CountFor(inB) >= before + 1_000, $"1,000 tells through the new router ({Recorder.CountFor(inB) - before} arrived)");
        Assert.Equal(before + 1_000, Recorder.CountFor(inB));
    }

    [Fact]
    public async Task RouterClient_RouterProcessKilledAndStartedAgain_ReconnectsAndReregisters()
    {
        string path = Cluster.NewSocketPath();
        var inA = new AgentId(s_worker, 411);
        var inB = new AgentId(s_worker, 412);
        using FastAgentsProcess first = FastAgentsProcess.Start("router", "--socket", path, "--http-port", "off");
        await first.WaitForLineAsync("READY", s_startup);
        await using var members = new JoinedRuntimes(path);
        (AgentRuntime a, RouterClient clientA) = await members.JoinAsync("a", r => r.Spawn<Recorder>(s_worker, inA.Key));
        (AgentRuntime b, RouterClient clientB) = await members.JoinAsync("b", r => r.Spawn<Recorder>(s_worker, inB.Key));
        await AskUntilAnsweredAsync(a, inB);
        await AskUntilAnsweredAsync(b, inA);

        first.Kill(); // SIGKILL: no goodbye, and the socket file stays behind for the next router to replace
        Assert.True(File.Exists(path), "the killed router's socket file should still be there");
        Eventually.True(() => !clientA.IsConnected && !clientB.IsConnected, "both clients to notice the router is gone");

        int port = FreeLoopbackPort();
        using FastAgentsProcess second = FastAgentsProcess.Start("router", "--socket", path, "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await second.WaitForLineAsync("READY", s_startup);
        Eventually.True(() => clientA.Reconnections >= 1 && clientB.Reconnections >= 1, "both clients to reconnect by themselves", TimeSpan.FromSeconds(60));
        Assert.True(clientA.WaitConnected(TimeSpan.FromSeconds(30)), "a did not reconnect");
        Assert.True(clientB.WaitConnected(TimeSpan.FromSeconds(30)), "b did not reconnect");
        await AskUntilAnsweredAsync(a, inB);
        await AskUntilAnsweredAsync(b, inA);
        for (int i = 0; i < 50; i++)
        {
            await AskAsync(a, inB, 300 + i);
            await AskAsync(b, inA, 400 + i);
        }

        // The new router knows exactly the two agents (its /health document counts them).
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        {
            string health = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health"));
            Assert.Contains("\"agents\":2", health, StringComparison.Ordinal);
            Assert.Contains("\"connections\":2", health, StringComparison.Ordinal);
        }

        // And it still drains and exits cleanly on SIGTERM.
        second.Terminate();
        Assert.True(second.WaitForExit(TimeSpan.FromSeconds(60)), "the router did not exit after SIGTERM:\n" + second.Output);
        Assert.Equal(0, second.ExitCode);
    }

    private static async Task AskAsync(AgentRuntime from, AgentId to, long value)
    {
        Pong pong = await from.AskAsync<Ping, Pong>(to, new Ping(value), TimeSpan.FromSeconds(30));
        Assert.Equal(value * 2, pong.Value);
        Assert.Equal(to.Key, pong.Responder);
    }

    /// <summary>Asks until answered: right after a (re)connection the far agent's registration may still be on its way.</summary>
    private static async Task AskUntilAnsweredAsync(AgentRuntime from, AgentId to)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await AskAsync(from, to, 7);
                return;
            }
            catch (UndeliverableException ex) when (ex.Reason is DeadLetterReason.NoSuchAgent or DeadLetterReason.Disconnected && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
