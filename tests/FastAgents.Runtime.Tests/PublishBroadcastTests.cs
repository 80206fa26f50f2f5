using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class PublishBroadcastTests
{
    private static readonly AgentType s_subscriber = AgentType.Register("pubsub-subscriber");
    private static readonly AgentType s_publisher = AgentType.Register("pubsub-publisher");
    private static readonly AgentType s_bystander = AgentType.Register("pubsub-bystander");

    [Fact]
    public async Task Publish_ReachesEverySubscriberOnce_WithKindPublishAndTheTopicId()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var topic = new Topic("pubsub-news");
        using var probe = new Probe();
        AgentId[] subscribers = [.. Enumerable.Range(0, 3).Select(i => runtime.Spawn(s_subscriber, (uint)i, () => new RecorderAgent(probe), new AgentOptions { Worker = i % 2 }))];
        AgentId outsider = runtime.Spawn(s_bystander, 0, () => new RecorderAgent(probe));
        foreach (AgentId id in subscribers)
        {
            runtime.Subscribe(id, topic);
        }

        runtime.Subscribe(subscribers[0], topic); // a second subscription changes nothing

        Assert.Equal(3, runtime.Publish(topic, new Num(1)));
        probe.WaitForCount(3, "the first publish");
        Seen[] seen = probe.Snapshot();
        Assert.Equal(subscribers.OrderBy(s => s.Value), seen.Select(s => s.Self).OrderBy(s => s.Value));
        Assert.All(seen, s =>
        {
            Assert.Equal(MessageKind.Publish, s.Kind);
            Assert.Equal(topic.Id, s.CorrelationId);
            Assert.Equal(1, s.Value);
        });

        Assert.True(runtime.Unsubscribe(subscribers[1], topic));
        Assert.False(runtime.Unsubscribe(subscribers[1], topic));
        Assert.False(runtime.Unsubscribe(outsider, topic));
        Assert.Equal(2, runtime.Publish(topic, new Num(2)));
        probe.WaitForCount(5, "the second publish");
        Assert.Equal(subscribers.Where(s => s != subscribers[1]).OrderBy(s => s.Value), probe.Snapshot().Where(s => s.Value == 2).Select(s => s.Self).OrderBy(s => s.Value));

        Assert.Equal(0, runtime.Publish(new Topic("pubsub-empty"), new Num(3)));
        Assert.Throws<ArgumentException>(() => runtime.Subscribe(s_subscriber[99], topic));
        Assert.Equal(5, probe.Count);
    }

    [Fact]
    public async Task Publish_FromAnAgent_CarriesItsSenderAndSkipsStoppedSubscribers()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var topic = new Topic("pubsub-from-agent");
        using var probe = new Probe();
        AgentId[] subscribers = [.. Enumerable.Range(10, 3).Select(i => runtime.Spawn(s_subscriber, (uint)i, () => new RecorderAgent(probe), new AgentOptions { Worker = i % 2 }))];
        foreach (AgentId id in subscribers)
        {
            runtime.Subscribe(id, topic);
        }

        var counts = new PublishCounts();
        AgentId publisher = runtime.Spawn(s_publisher, 0, () => new PublishingAgent(topic, counts), new AgentOptions { Worker = 0 });
        Assert.True(runtime.Stop(subscribers[2]));
        Eventually.True(() => runtime.GetInfo(subscribers[2])!.Status == AgentStatus.Stopped, "a subscriber to stop");

        runtime.Tell(publisher, new Num(7));
        probe.WaitForCount(2, "the agent's publish");

        Assert.Equal(2, counts.Last);
        Assert.All(probe.Snapshot(), s =>
        {
            Assert.Equal(publisher, s.Sender);
            Assert.Equal(MessageKind.Publish, s.Kind);
            Assert.Equal(topic.Id, s.CorrelationId);
        });
        Assert.DoesNotContain(probe.Snapshot(), s => s.Self == subscribers[2]);
    }

    [Fact]
    public async Task Broadcast_ByCapabilityAndByType_ReachesEveryRunningMember()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var capability = new Capability("pubsub-indexers");
        using var probe = new Probe();
        AgentId[] members = [.. Enumerable.Range(0, 4).Select(i => runtime.Spawn(s_subscriber, (uint)(20 + i), () => new RecorderAgent(probe), new AgentOptions { Worker = i % 2, Capabilities = [capability] }))];
        AgentId other = runtime.Spawn(s_bystander, 1, () => new RecorderAgent(probe), new AgentOptions { Capabilities = ["pubsub-other"] });

        Assert.Equal(4, runtime.Broadcast(capability, new Num(1)));
        probe.WaitForCount(4, "the capability broadcast");
        Assert.Equal(members.OrderBy(m => m.Value), probe.Snapshot().Select(s => s.Self).OrderBy(s => s.Value));
        Assert.All(probe.Snapshot(), s => Assert.Equal(MessageKind.Tell, s.Kind));

        Assert.True(runtime.Stop(members[3]));
        Eventually.True(() => runtime.GetInfo(members[3])!.Status == AgentStatus.Stopped, "a member to stop");
        Assert.Equal(3, runtime.Broadcast(capability, new Num(2)));
        probe.WaitForCount(7, "the second capability broadcast");

        Assert.Equal(3, runtime.Broadcast(s_subscriber, new Num(3)));
        Assert.Equal(1, runtime.Broadcast(s_bystander, new Num(3)));
        probe.WaitForCount(11, "the type broadcasts");
        Seen[] third = [.. probe.Snapshot().Where(s => s.Value == 3)];
        Assert.Equal(members.Take(3).Append(other).OrderBy(m => m.Value), third.Select(s => s.Self).OrderBy(s => s.Value));
        Assert.Equal(0, runtime.Broadcast(new Capability("pubsub-none"), new Num(4)));
        Assert.Equal(11, probe.Count);
        Assert.Equal(0, runtime.DeadLetters.Count);
    }

    internal sealed class PublishCounts
    {
        private int _last;

        public int Last
        {
            get => Volatile.Read(ref _last);
            set => Volatile.Write(ref _last, value);
        }
    }

    internal sealed class PublishingAgent(Topic topic, PublishCounts counts) : Agent, IHandle<Num>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Num>(this);

        public void Handle(in Num message, AgentContext context) => counts.Last = context.Publish(topic, message);
    }
}
