using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class RegistryTests
{
    private static readonly AgentType s_agent = AgentType.Register("registry-agent");
    private static readonly AgentType s_other = AgentType.Register("registry-other");

    [Fact]
    public async Task GetInfo_ReportsStatusCountsQueueDepthAndCapabilities()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var search = new Capability("registry-search");
        var index = new Capability("registry-index");
        using var probe = new Probe();
        using var otherProbe = new Probe();
        AgentId id = runtime.Spawn(s_agent, 0, () => new RecorderAgent(probe), new AgentOptions { Worker = 1, Capabilities = [search, index] });
        AgentId other = runtime.Spawn(s_other, 0, () => new RecorderAgent(otherProbe), new AgentOptions { Worker = 0, Capabilities = [index] });

        Assert.Null(runtime.GetInfo(s_agent[12345]));
        for (int i = 0; i < 10; i++)
        {
            runtime.Tell(id, new Num(i));
        }

        probe.WaitForCount(10, "ten messages");
        Eventually.True(() => runtime.GetInfo(id)!.Status == AgentStatus.Idle, "the agent to be idle");
        AgentInfo info = runtime.GetInfo(id)!;
        Assert.Equal(id, info.Id);
        Assert.Equal(1, info.Worker);
        Assert.Equal(10, info.Received);
        Assert.Equal(10, info.Handled);
        Assert.Equal(0, info.Faults);
        Assert.Equal(0, info.QueueDepth);
        Assert.Null(info.LastError);
        Assert.Equal([search, index], info.Capabilities);

        // Busy with a backlog.
        runtime.Tell(id, new Hold(0));
        probe.Gate.WaitEntered();
        try
        {
            for (int i = 0; i < 5; i++)
            {
                runtime.Tell(id, new Num(100 + i));
            }

            info = runtime.GetInfo(id)!;
            Assert.Equal(AgentStatus.Busy, info.Status);
            Assert.Equal(16, info.Received);
            Assert.Equal(5, info.QueueDepth);
            Assert.Equal(AgentStatus.Idle, runtime.GetInfo(other)!.Status);
        }
        finally
        {
            probe.Gate.Release();
        }

        probe.WaitForCount(15, "the backlog");
        Eventually.True(() => runtime.GetInfo(id)!.QueueDepth == 0 && runtime.GetInfo(id)!.Handled == 16, "the backlog to drain");

        AgentId[] both = [.. new[] { id, other }.OrderBy(a => a.Value)];
        Assert.Equal(both, runtime.Agents().Select(a => a.Id).OrderBy(a => a.Value));
        Assert.Equal([id], runtime.FindByCapability(search).Select(a => a.Id));
        Assert.Equal(both, runtime.FindByCapability(index).Select(a => a.Id).OrderBy(a => a.Value));
        Assert.Empty(runtime.FindByCapability(new Capability("registry-nothing")));

        Assert.True(runtime.Stop(id));
        Eventually.True(() => runtime.GetInfo(id)!.Status == AgentStatus.Stopped, "the agent to stop");
        Eventually.True(() => runtime.FindByCapability(index).Count == 1, "the stopped agent to leave its capability groups");
        Assert.Equal(1, probe.Stops);
        Assert.Equal([other], runtime.FindByCapability(index).Select(a => a.Id));
        Assert.Empty(runtime.FindByCapability(search));
        Assert.Contains(runtime.Agents(), a => a.Id == id && a.Status == AgentStatus.Stopped);
    }

    [Fact]
    public async Task Heartbeat_BlockedHandler_MarksEveryAgentOnItsWorkerUnresponsiveUntilReleased()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default() with { HeartbeatTimeout = TimeSpan.FromMilliseconds(200) });
        using var blocked = new Probe();
        using var neighbour = new Probe();
        using var elsewhere = new Probe();
        AgentId blockedId = runtime.Spawn(s_agent, 1, () => new RecorderAgent(blocked), new AgentOptions { Worker = 0 });
        AgentId neighbourId = runtime.Spawn(s_agent, 2, () => new RecorderAgent(neighbour), new AgentOptions { Worker = 0 });
        AgentId elsewhereId = runtime.Spawn(s_agent, 3, () => new RecorderAgent(elsewhere), new AgentOptions { Worker = 1 });

        runtime.Tell(blockedId, new Hold(0));
        blocked.Gate.WaitEntered();
        try
        {
            Eventually.True(
                () => runtime.GetInfo(blockedId)!.Status == AgentStatus.Unresponsive && runtime.GetInfo(neighbourId)!.Status == AgentStatus.Unresponsive,
                "both agents on the blocked worker to be unresponsive");
            Assert.NotEqual(AgentStatus.Unresponsive, runtime.GetInfo(elsewhereId)!.Status);
            Assert.True(runtime.GetInfo(blockedId)!.LastHeartbeat < DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(150));
        }
        finally
        {
            blocked.Gate.Release();
        }

        Eventually.True(
            () => runtime.GetInfo(blockedId)!.Status == AgentStatus.Idle && runtime.GetInfo(neighbourId)!.Status == AgentStatus.Idle,
            "both agents to be idle again");
    }

    [Fact]
    public async Task Balancer_UnresponsiveMember_IsAvoided()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default() with { HeartbeatTimeout = TimeSpan.FromMilliseconds(200) });
        var pool = new Capability("registry-pool");
        using var blocker = new Probe();
        using var onBlockedWorker = new Probe();
        using var onFreeWorker = new Probe();
        AgentId blockerId = runtime.Spawn(s_other, 1, () => new RecorderAgent(blocker), new AgentOptions { Worker = 0 });
        AgentId m0 = runtime.Spawn(s_agent, 10, () => new RecorderAgent(onBlockedWorker), new AgentOptions { Worker = 0, Capabilities = [pool] });
        AgentId m1 = runtime.Spawn(s_agent, 11, () => new RecorderAgent(onFreeWorker), new AgentOptions { Worker = 1, Capabilities = [pool] });

        // Another agent blocks worker 0: m0 is neither busy nor backlogged, so only its unresponsive worker tells it apart.
        runtime.Tell(blockerId, new Hold(0));
        blocker.Gate.WaitEntered();
        try
        {
            Eventually.True(() => runtime.Workers[0].IsUnresponsive(runtime.NowMs), "worker 0 to be unresponsive on the balancer's clock");
            Assert.Equal(AgentStatus.Unresponsive, runtime.GetInfo(m0)!.Status);
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal(SendStatus.Sent, runtime.TellAny(pool, new Num(i)));
                onFreeWorker.WaitForCount(i + 1, $"TellAny #{i}");
            }

            Answer answer = await Eventually.Within(runtime.AskAnyAsync<Question, Answer>(pool, new Question(4)), "AskAny");
            Assert.Equal(new Answer(8, 11), answer);
            Assert.Equal(0, runtime.GetInfo(m0)!.Received);
        }
        finally
        {
            blocker.Gate.Release();
        }

        Assert.Equal(0, onBlockedWorker.Count);
    }
}
