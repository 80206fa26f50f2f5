using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class StopAndShutdownTests
{
    private static readonly AgentType s_agent = AgentType.Register("stop-agent");
    private static readonly AgentType s_forwarder = AgentType.Register("stop-forwarder");
    private static readonly AgentType s_burst = AgentType.Register("stop-burst");

    [Fact]
    public async Task Stop_QueuedMessages_AreAllHandledBeforeOnStop()
    {
        const int Queued = 500;
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_agent, 0, () => new RecorderAgent(probe), new AgentOptions { Worker = 0 });

        runtime.Tell(id, new Hold(0));
        probe.Gate.WaitEntered();
        try
        {
            for (int i = 0; i < Queued; i++)
            {
                runtime.Tell(id, new Num(i), (Priority)(i % 3));
            }

            Assert.True(runtime.Stop(id));
        }
        finally
        {
            probe.Gate.Release();
        }

        Eventually.True(() => probe.Stops == 1, "OnStop");
        Assert.Equal(Queued, probe.CountAtStop);
        Assert.Equal(Queued, probe.Count);
        Assert.Equal(AgentStatus.Stopped, runtime.GetInfo(id)!.Status);
        Assert.Equal(0, runtime.DeadLetters.Count);

        Assert.Equal(SendStatus.Stopped, runtime.Tell(id, new Num(-1)));
        Assert.Equal(1, runtime.DeadLetters.CountOf(DeadLetterReason.AgentStopped));
        DeadLetter letter = Assert.Single(runtime.DeadLetters.Recent());
        Assert.Equal(DeadLetterReason.AgentStopped, letter.Reason);
        Assert.Equal(id, letter.Target);
        Assert.False(runtime.Stop(id));
        Assert.Equal(1, probe.Stops);
    }

    [Fact]
    public async Task StopSelf_FromAHandler_StopsAfterTheMessagesBefore()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var count = new StrongBox<int>();
        AgentId id = runtime.Spawn(s_agent, 1, () => new SelfStoppingAgent(count));

        runtime.Tell(id, new Num(1));
        runtime.Tell(id, new Num(2));
        runtime.Tell(id, new Num(-1)); // stop yourself
        Eventually.True(() => runtime.GetInfo(id)!.Status == AgentStatus.Stopped, "the agent to stop itself");

        Assert.Equal(3, Volatile.Read(ref count.Value));
        Assert.Equal(SendStatus.Stopped, runtime.Tell(id, new Num(3)));
    }

    [Fact]
    public async Task StopSelf_WhenItsWorkersLowLaneIsFull_StillStopsTheAgent()
    {
        // StopSelf posts the stop through the outside Low lane of the agent's own worker. When that lane is full,
        // only this worker could make room: the stop must not wait on it (Backpressure: "a worker never waits on
        // its own inbox") and must not be lost.
        await using var runtime = new AgentRuntime(TestOptions.Default() with { LaneCapacity = 64, SendTimeout = TimeSpan.FromSeconds(2) });
        using var blocker = new Probe();
        var count = new StrongBox<int>();
        AgentId blockerId = runtime.Spawn(s_agent, 11, () => new RecorderAgent(blocker), new AgentOptions { Worker = 0 });
        AgentId quitter = runtime.Spawn(s_agent, 12, () => new SelfStoppingAgent(count), new AgentOptions { Worker = 0 });
        AgentId relay = runtime.Spawn(s_forwarder, 1, () => new ForwardingAgent(quitter), new AgentOptions { Worker = 1 });

        runtime.Tell(blockerId, new Hold(0));
        blocker.Gate.WaitEntered();
        int low = 0;
        try
        {
            while (runtime.TryTell(blockerId, new Num(low), Priority.Low) == SendStatus.Sent)
            {
                low++;
            }

            // The relay on worker 1 forwards the stop-yourself message; it waits, published, in worker 0's lane
            // from worker 1, which worker 0 drains in the same pass as the held message, before its Low lanes.
            runtime.Tell(relay, new Num(-1));
            Eventually.True(() => runtime.Workers[0].QueueDepth == 1 + low + 1, "the forwarded message to be published");
        }
        finally
        {
            blocker.Gate.Release();
        }

        Eventually.True(() => Volatile.Read(ref count.Value) == 1, "the quitter to handle its message");
        Eventually.True(
            () => runtime.GetInfo(quitter)!.Status == AgentStatus.Stopped,
            "StopSelf to stop the agent although its worker's Low lane was full",
            TimeSpan.FromSeconds(8));
        blocker.WaitForCount(low, "the Low messages");
    }

    [Fact]
    public async Task Spawn_SameIdWhileRunning_Throws_AndAfterStopReusesTheId()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var first = new Probe();
        using var second = new Probe();
        AgentId id = runtime.Spawn(s_agent, 2, () => new RecorderAgent(first), new AgentOptions { Worker = 0 });

        Assert.Throws<InvalidOperationException>(() => runtime.Spawn(s_agent, 2, () => new RecorderAgent(second)));
        Assert.True(runtime.Stop(id));
        Eventually.True(() => runtime.GetInfo(id)!.Status == AgentStatus.Stopped, "the agent to stop");
        Eventually.True(() => first.Stops == 1, "the first instance's OnStop");

        // The new agent under the old id lands on the same worker as the old one.
        Assert.Equal(id, runtime.Spawn(s_agent, 2, () => new RecorderAgent(second), new AgentOptions { Worker = 0 }));
        Assert.Equal(SendStatus.Sent, runtime.Tell(id, new Num(9)));

        Eventually.True(() => second.Count == 1 || runtime.DeadLetters.Count > 0, "the message to the new agent to be handled or dead-lettered");
        Assert.True(
            runtime.DeadLetters.Count == 0,
            $"the message to the respawned agent was dead-lettered: {string.Join("; ", runtime.DeadLetters.Recent())}");
        Assert.Equal(1, second.Count);
        Assert.Equal(1, second.Starts);
        Assert.Equal(0, first.Count);
    }

    [Fact]
    public async Task Spawn_SameIdWhileTheOldInstanceIsInOnStop_TheNewAgentKeepsItsRegistrationsAndAsks()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var capability = new Capability("stop-respawn");
        var topic = new Topic("stop-respawn-topic");
        using var old = new Probe();
        var deferrer = new AskTests.Deferrer();
        AgentId id = runtime.Spawn(s_agent, 10, () => new SlowStopAgent(old), new AgentOptions { Worker = 0, Capabilities = [capability] });
        runtime.Subscribe(id, topic);
        Task<Answer>? ask = null;

        Assert.True(runtime.Stop(id));
        old.Gate.WaitEntered(); // the old instance is inside OnStop
        try
        {
            try
            {
                SpawnNew();
            }
            catch (InvalidOperationException)
            {
                // Also acceptable: the id is not free until the old instance has fully stopped. Spawned again below.
            }
        }
        finally
        {
            old.Gate.Release();
        }

        Eventually.True(() => runtime.Workers[0].IsWaiting, "the old instance's worker to finish stopping it");
        if (ask is null)
        {
            SpawnNew();
        }

        // The ask to the new agent is still waiting for its (deferred) reply: the old instance's end must not fail it.
        Assert.False(ask!.IsCompleted, ask.IsFaulted ? $"the new agent's ask failed: {ask.Exception!.InnerException!.Message}" : "the ask completed");
        runtime.Tell(id, new Num(5));
        Assert.Equal(5, (await Eventually.Within(new ValueTask<Answer>(ask), "the new agent's deferred reply")).Value);

        Assert.Equal([id], runtime.FindByCapability(capability).Select(a => a.Id));
        Assert.Equal(1, runtime.Publish(topic, new Num(3)));
        Assert.Equal(1, runtime.Broadcast(s_agent, new Num(3)));
        Assert.Equal(SendStatus.Sent, runtime.TellAny(capability, new Num(3)));

        void SpawnNew()
        {
            runtime.Spawn(s_agent, 10, () => new AskTests.DeferringAgent(deferrer), new AgentOptions { Worker = 1, Capabilities = [capability] });
            runtime.Subscribe(id, topic);
            ask = runtime.AskAsync<Question, Answer>(id, new Question(1), TimeSpan.FromMinutes(5)).AsTask();
            Eventually.True(() => deferrer.Deferred == 1, "the new agent to defer the ask");
        }
    }

    [Fact]
    public async Task ShutdownAsync_Busy_DrainsEverythingIncludingAgentToAgentTraffic()
    {
        const int Messages = 2_000;
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId sink = runtime.Spawn(s_agent, 3, () => new RecorderAgent(probe), new AgentOptions { Worker = 1 });
        AgentId forwarder = runtime.Spawn(s_forwarder, 0, () => new ForwardingAgent(sink), new AgentOptions { Worker = 0 });
        for (int i = 0; i < Messages; i++)
        {
            runtime.Tell(forwarder, new Num(i));
        }

        ShutdownReport report = await runtime.ShutdownAsync(TimeSpan.FromSeconds(30));

        Assert.True(report.Drained, $"drained: {report}");
        Assert.Equal(0, report.Undelivered);
        Assert.Equal(0, report.AsksFailed);
        Assert.Empty(report.StuckWorkers);
        Assert.Equal(Messages, probe.Count);
        Assert.Equal(0, runtime.DeadLetters.Count);
        Assert.Same(runtime.ShutdownAsync(TimeSpan.FromSeconds(1)), runtime.ShutdownAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(report, await runtime.ShutdownAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task ShutdownAsync_StuckHandler_ReportsNotDrainedAndTheStuckWorker_ThenRefusesOutsideSends()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var stuck = new Probe();
        using var healthy = new Probe();
        AgentId stuckId = runtime.Spawn(s_agent, 4, () => new RecorderAgent(stuck), new AgentOptions { Worker = 1 });
        AgentId neighbour = runtime.Spawn(s_agent, 5, () => new RecorderAgent(healthy), new AgentOptions { Worker = 1 });
        AgentId healthyId = runtime.Spawn(s_agent, 6, () => new RecorderAgent(healthy), new AgentOptions { Worker = 0 });
        ShutdownReport report;
        Task<Answer> ask;
        runtime.Tell(stuckId, new Hold(0));
        stuck.Gate.WaitEntered();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                runtime.Tell(stuckId, new Num(i));
            }

            ask = runtime.AskAsync<Question, Answer>(neighbour, new Question(1), TimeSpan.FromMinutes(5)).AsTask();
            report = await runtime.ShutdownAsync(TimeSpan.FromMilliseconds(300));

            Assert.Equal(SendStatus.ShuttingDown, runtime.Tell(healthyId, new Num(1)));
            Assert.Equal(SendStatus.ShuttingDown, runtime.TryTell(stuckId, new Num(1)));
            Assert.Throws<InvalidOperationException>(() => runtime.Spawn(s_agent, 7, () => new RecorderAgent(healthy)));
            UndeliverableException refused = await Eventually.Fails<UndeliverableException>(
                runtime.AskAsync<Question, Answer>(healthyId, new Question(2)).AsTask(), "an ask after shutdown");
            Assert.Equal(DeadLetterReason.ShuttingDown, refused.Reason);
        }
        finally
        {
            stuck.Gate.Release();
        }

        Assert.False(report.Drained);
        Assert.Equal([1], report.StuckWorkers);
        Assert.True(report.Undelivered >= 4, $"the held message, three behind it and the ask are undelivered: {report}");
        Assert.Equal(1, report.AsksFailed);
        UndeliverableException failed = await Eventually.Fails<UndeliverableException>(ask, "the pending ask");
        Assert.Equal(DeadLetterReason.ShuttingDown, failed.Reason);
        Assert.True(runtime.DeadLetters.CountOf(DeadLetterReason.ShuttingDown) >= 3);
    }

    [Fact]
    public async Task ShutdownAsync_StuckHandlerReleasedAfterShutdown_RunsNoFurtherHandlers()
    {
        // The held message and three more arrive in one batch (one publish from the sending worker); the shutdown
        // gives up on the stuck worker and reports the four as undelivered. When the handler finally returns,
        // the ended runtime must not go on to handle the rest of that batch.
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId target = runtime.Spawn(s_agent, 8, () => new RecorderAgent(probe), new AgentOptions { Worker = 0 });
        AgentId burst = runtime.Spawn(s_burst, 0, () => new BurstAgent(target), new AgentOptions { Worker = 1 });
        runtime.Tell(burst, new Go(0));
        probe.Gate.WaitEntered();
        ShutdownReport report;
        try
        {
            report = await runtime.ShutdownAsync(TimeSpan.FromMilliseconds(300));
        }
        finally
        {
            probe.Gate.Release();
        }

        Assert.Equal([0], report.StuckWorkers);
        Assert.True(report.Undelivered >= 4, $"four envelopes were never handled: {report}");
        Eventually.True(() => runtime.Workers[0].HasEnded, "the released worker's thread to end");
        Assert.True(probe.Count == 0, $"{probe.Count} handler(s) ran after ShutdownAsync reported them undelivered and ended the runtime");
    }

    /// <summary>Blocks in OnStop on its probe's gate.</summary>
    internal sealed class SlowStopAgent(Probe probe) : Agent, IHandle<Num>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Num>(this);

        protected internal override void OnStop(AgentContext context) => probe.Gate.Enter();

        public void Handle(in Num message, AgentContext context) => probe.Record(default);
    }

    internal sealed class StrongBox<T>
    {
        public T? Value;
    }

    internal sealed class SelfStoppingAgent(StrongBox<int> count) : Agent, IHandle<Num>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Num>(this);

        public void Handle(in Num message, AgentContext context)
        {
            Interlocked.Increment(ref count.Value);
            if (message.Value < 0)
            {
                context.StopSelf();
            }
        }
    }

    internal sealed class ForwardingAgent(AgentId next) : Agent, IHandle<Num>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Num>(this);

        public void Handle(in Num message, AgentContext context) => context.Tell(next, message);
    }

    /// <summary>Sends a <see cref="Hold"/> and three <see cref="Num"/>s to its target in one handler call.</summary>
    internal sealed class BurstAgent(AgentId target) : Agent, IHandle<Go>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Go>(this);

        public void Handle(in Go message, AgentContext context)
        {
            context.Tell(target, new Hold(0));
            for (int i = 0; i < 3; i++)
            {
                context.Tell(target, new Num(i));
            }
        }
    }
}
