using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Transport.Tests;

public sealed class RoutingTests
{
    private static readonly AgentType s_worker = AgentType.Register("transport-tests/worker");

    [Fact]
    public async Task Tell_ToAgentInOtherProcess_ArrivesInOrder()
    {
        await using Cluster cluster = await Cluster.StartAsync();
        var target = new AgentId(s_worker, 101);
        await cluster.JoinAsync("b", r => r.Spawn<Recorder>(s_worker, 101));
        (AgentRuntime a, _) = await cluster.JoinAsync("a");
        cluster.WaitForAgents(1);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.Equal(SendStatus.Sent, a.Tell(target, new Ping(i)));
        }

        Eventually.True(() => Recorder.CountFor(target) == 10_000, "10,000 tells to arrive");
        long expected = 0;
        foreach ((long value, MessageKind kind) in Recorder.Seen[target])
        {
            Assert.Equal(expected++, value);
            Assert.Equal(MessageKind.Tell, kind);
        }
    }

    [Fact]
    public async Task Tell_WithNoIdleSpinOnEitherSide_EveryTellInATrickleArrivesInOrder()
    {
        // The client's writer and both runtimes' workers park the moment they find nothing, so each tell of a
        // trickle has to wake the writer, and each arrival the receiving worker.
        await using Cluster cluster = await Cluster.StartAsync();
        var target = new AgentId(s_worker, 150);
        RuntimeOptions NoSpin(string name) => Cluster.TestRuntimeOptions(name) with { IdleSpin = TimeSpan.Zero, IdleYield = TimeSpan.Zero };
        await cluster.JoinAsync("b", r => r.Spawn<Recorder>(s_worker, 150), cluster.ClientOptions("b") with { IdleSpin = TimeSpan.Zero, IdleYield = TimeSpan.Zero }, NoSpin("b"));
        (AgentRuntime a, _) = await cluster.JoinAsync("a", null, cluster.ClientOptions("a") with { IdleSpin = TimeSpan.Zero, IdleYield = TimeSpan.Zero }, NoSpin("a"));
        cluster.WaitForAgents(1);
        for (int i = 0; i < 2_000; i++)
        {
            Assert.Equal(SendStatus.Sent, a.Tell(target, new Ping(i)));
            if (i % 8 == 0)
            {
                Thread.Sleep(0);
            }
        }

        Eventually.True(() => Recorder.CountFor(target) == 2_000, "2,000 tells to arrive");

        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => (long)i), Recorder.Seen[target].Select(seen => seen.Value));
        Assert.Throws<ArgumentOutOfRangeException>(() => RouterClient.ConnectAsync(a, cluster.ClientOptions("c") with { IdleSpin = TimeSpan.FromTicks(-1) }).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task AskAsync_ToAgentInOtherProcess_GetsItsReply()
    {
        await using Cluster cluster = await Cluster.StartAsync();
        var target = new AgentId(s_worker, 102);
        await cluster.JoinAsync("b", r => r.Spawn<Recorder>(s_worker, 102));
        (AgentRuntime a, _) = await cluster.JoinAsync("a");
        cluster.WaitForAgents(1);
        for (int i = 1; i <= 200; i++)
        {
            Pong pong = await a.AskAsync<Ping, Pong>(target, new Ping(i));
            Assert.Equal(i * 2, pong.Value);
            Assert.Equal(102u, pong.Responder);
        }
    }

    [Fact]
    public async Task AskAsync_UnknownRemoteAgent_FailsFastWithNoSuchAgent()
    {
        await using Cluster cluster = await Cluster.StartAsync();
        (AgentRuntime a, _) = await cluster.JoinAsync("a");
        var ex = await Assert.ThrowsAsync<UndeliverableException>(async () =>
            await a.AskAsync<Ping, Pong>(new AgentId(s_worker, 999), new Ping(1), TimeSpan.FromSeconds(30)));
        Assert.Equal(DeadLetterReason.NoSuchAgent, ex.Reason);
    }

    [Fact]
    public async Task Publish_ReachesSubscribersInEveryProcess()
    {
        await using Cluster cluster = await Cluster.StartAsync();
        var topic = new Topic("transport-tests/news");
        var local = new AgentId(s_worker, 201);
        var remote1 = new AgentId(s_worker, 202);
        var remote2 = new AgentId(s_worker, 203);
        (AgentRuntime a, _) = await cluster.JoinAsync("a", r =>
        {
            r.Spawn<Recorder>(s_worker, 201);
            r.Subscribe(local, topic);
        });
        await cluster.JoinAsync("b", r =>
        {
            r.Spawn<Recorder>(s_worker, 202);
            r.Subscribe(remote1, topic);
        });
        await cluster.JoinAsync("c", r =>
        {
            r.Spawn<Recorder>(s_worker, 203);
            r.Subscribe(remote2, topic);
        });
        cluster.WaitForAgents(3);
        Eventually.True(() => cluster.Router.Table.Subscribers(topic.Id).Length == 3, "three subscribed processes");
        for (int i = 0; i < 100; i++)
        {
            a.Publish(topic, new Ping(i));
        }

        foreach (AgentId id in new[] { local, remote1, remote2 })
        {
            Eventually.True(() => Recorder.CountFor(id) == 100, $"100 publishes at {id}");
        }

        Assert.All(Recorder.Seen[remote1], seen => Assert.Equal(MessageKind.Publish, seen.Kind));
    }

    [Fact]
    public async Task TellAny_CapabilityOnlyElsewhere_GoesToAMemberThere()
    {
        await using Cluster cluster = await Cluster.StartAsync();
        var capability = new Capability("transport-tests/summarize");
        await cluster.JoinAsync("b", r => r.SpawnPool(s_worker, 1, static () => new Recorder(), capability));
        (AgentRuntime a, _) = await cluster.JoinAsync("a");
        cluster.WaitForAgents(1);
        var member = new AgentId(s_worker, 0);
        int before = Recorder.CountFor(member);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(SendStatus.Sent, a.TellAny(capability, new Ping(i)));
        }

        Pong pong = await a.AskAnyAsync<Ping, Pong>(capability, new Ping(21));
        Assert.Equal(42, pong.Value);
        Eventually.True(() => Recorder.CountFor(member) >= before + 51, "50 tells and one ask at the pool member");
    }
}
