using FastAgents.Cli.Router;
using FastAgents.Router;
using FastAgents.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace FastAgents.Transport.Tests;

/// <summary>A client process (the real <c>fastagents echo</c>) killed while asks to it are in flight.</summary>
public sealed class ClientCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_startup = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_askTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AskAsync_EchoProcessKilledMidStream_PendingAsksFailWithDisconnected()
    {
        // A long dead-after: the frozen echo process must be dropped because it dies, not because it fell silent.
        await using Cluster cluster = await Cluster.StartAsync(new RouterOptions { DeadAfter = TimeSpan.FromSeconds(120) });
        using FastAgentsProcess echo = FastAgentsProcess.Start("echo", "--router", "unix:" + cluster.SocketPath, "--agents", "1");
        await echo.WaitForLineAsync("READY", s_startup);
        (AgentRuntime asker, RouterClient client) = await cluster.JoinAsync("asker");
        cluster.WaitForAgents(1);
        var echoAgent = new AgentId(AgentType.Register("echo"), 0);

        for (int i = 0; i < 100; i++)
        {
            var request = new EchoMessage(i, i * 7L);
            Assert.Equal(request, await asker.AskAsync<EchoMessage, EchoMessage>(echoAgent, request, s_askTimeout));
        }

        // Mid-stream: a burst of asks is being answered...
        var asks = new List<(EchoMessage Request, Task<EchoMessage> Reply)>();
        for (int i = 0; i < 10_000; i++)
        {
            var request = new EchoMessage(100_000 + i, i);
            asks.Add((request, asker.AskAsync<EchoMessage, EchoMessage>(echoAgent, request, s_askTimeout).AsTask()));
        }

        Eventually.True(() => asks.Any(a => a.Reply.IsCompletedSuccessfully), "the first answers of the burst");

        // ...when the process freezes (so that some asks are surely pending when it dies) and more asks go out.
        echo.Suspend();
        for (int i = 0; i < 2_000; i++)
        {
            var request = new EchoMessage(10_000 + i, i);
            asks.Add((request, asker.AskAsync<EchoMessage, EchoMessage>(echoAgent, request, s_askTimeout).AsTask()));
        }

        // The router routes one connection's frames in order: once an ask behind them is refused, every ask above
        // has reached the echo connection's queue (none can be refused as NoSuchAgent after the kill instead).
        var marker = await Assert.ThrowsAsync<UndeliverableException>(async () =>
            await asker.AskAsync<EchoMessage, EchoMessage>(new AgentId(AgentType.Register("echo"), 999), new EchoMessage(-1, -1), s_askTimeout));
        Assert.Equal(DeadLetterReason.NoSuchAgent, marker.Reason);
        int pending = asker.PendingAsks;
        Assert.True(pending >= 2_000, $"{pending} asks pending before the kill");

        echo.Kill();

        // Every ask either got its own echo before the kill, or fails with Disconnected (not a timeout, not another reason).
        await Task.WhenAll(asks.Select(a => a.Reply)).ContinueWith(static all => _ = all.Exception, TaskScheduler.Default).WaitAsync(s_askTimeout * 2);
        int answered = 0;
        int disconnected = 0;
        foreach ((EchoMessage request, Task<EchoMessage> reply) in asks)
        {
            if (reply.IsCompletedSuccessfully)
            {
                Assert.Equal(request, await reply);
                answered++;
                continue;
            }

            Exception? error = reply.Exception?.InnerException;
            var undeliverable = Assert.IsType<UndeliverableException>(error);
            Assert.Equal(DeadLetterReason.Disconnected, undeliverable.Reason);
            Assert.Equal(echoAgent, undeliverable.Target);
            disconnected++;
        }

        output.WriteLine($"{answered} asks answered before the kill, {disconnected} failed with Disconnected ({pending} were pending)");
        Assert.True(disconnected >= 2_000, $"only {disconnected} asks failed");
        Assert.Equal(asks.Count, answered + disconnected);
        Assert.Equal(0, asker.PendingAsks);

        // The router dropped the dead process's agents: a new ask is refused at once.
        Eventually.True(() => cluster.Router.AgentCount == 0, "the router to drop the echo agent");
        Eventually.True(() => cluster.Router.ConnectionCount == 1, "the router to drop the echo connection");
        var after = await Assert.ThrowsAsync<UndeliverableException>(async () =>
            await asker.AskAsync<EchoMessage, EchoMessage>(echoAgent, new EchoMessage(1, 1), s_askTimeout));
        Assert.Equal(DeadLetterReason.NoSuchAgent, after.Reason);
        Assert.True(client.IsConnected);
        Assert.Equal(0, client.Reconnections);
    }
}
