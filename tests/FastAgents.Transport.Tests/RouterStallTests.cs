using FastAgents.Router;
using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Transport.Tests;

/// <summary>
/// A router whose queue per connection holds a few frames, so a sender's read loop stalls on its target over and over
/// and resumes as soon as the receiver takes something: the path where a frame is added after a wait. Every message
/// must arrive, in order, and no connection may fail.
/// </summary>
public sealed class RouterStallTests
{
    private const int Count = 200_000;
    private static readonly AgentType s_type = AgentType.Register("transport-tests/stall");

    [Fact]
    public async Task Tell_ThousandsOfStallsAtTheRouter_EveryMessageArrivesInOrderAndNoConnectionFails()
    {
        var options = new RouterOptions
        {
            MaxFrame = 4 * 1024,
            MaxQueuedBytes = 4 * 1024, // about 50 tells: the sender's loop waits for room all the time
            StallTimeout = TimeSpan.FromSeconds(30),
        };
        await using Cluster cluster = await Cluster.StartAsync(options);
        var target = new AgentId(s_type, 1);
        var log = new TallyLog();
        (_, RouterClient receiverClient) = await cluster.JoinAsync("stall-receiver", r => r.Spawn(s_type, target.Key, () => new Tally(log)));
        // The sender waits for room as long as it takes: the test is about what arrives, not how fast.
        (AgentRuntime sender, RouterClient senderClient) = await cluster.JoinAsync(
            "stall-sender", runtimeOptions: Cluster.TestRuntimeOptions("stall-sender") with { SendTimeout = TimeSpan.FromSeconds(30) });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Eventually.True(() => cluster.Router.Table.Owner(target.Value) is not null, "the router to know the receiver");

        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(SendStatus.Sent, sender.Tell(target, new Numbered(i)));
        }

        bool arrived = SpinWait.SpinUntil(() => log.Count == Count, TimeSpan.FromSeconds(60));
        Assert.True(
            arrived,
            $"all {Count} tells to arrive: {log.Count} did; stalls {cluster.Router.Metrics.Stalls}; sender connected {senderClient.IsConnected}, " +
            $"reconnections {senderClient.Reconnections}; receiver connected {receiverClient.IsConnected}, reconnections {receiverClient.Reconnections}");
        Console.WriteLine($"stall test: {Count} tells in {watch.Elapsed.TotalSeconds:0.00} s, {cluster.Router.Metrics.Stalls} stalls");
        Assert.True(cluster.Router.Metrics.Stalls > 100, $"only {cluster.Router.Metrics.Stalls} stalls: the test did not exercise the wait");
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), log.Snapshot());
        Assert.Equal((0L, 0L), (senderClient.Reconnections, receiverClient.Reconnections));
    }
}
