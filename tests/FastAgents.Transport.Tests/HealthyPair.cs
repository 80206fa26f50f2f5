using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Transport.Tests;

/// <summary>
/// Two well-behaved runtimes joined to a cluster's router, a sender and a receiver with a <see cref="Tally"/>: tests
/// that abuse the router check, through them, that everyone else is served exactly (nothing lost, nothing
/// duplicated, nothing out of order, no dead letters, no reconnection).
/// </summary>
public sealed class HealthyPair
{
    private static readonly AgentType s_type = AgentType.Register("transport-tests/healthy");
    private static int s_nextKey;

    private readonly TallyLog _log;
    private readonly AgentRuntime _sender;
    private readonly AgentRuntime _receiver;
    private long _sent;
    private Task? _background;
    private volatile bool _stopBackground;

    private HealthyPair(AgentId target, TallyLog log, (AgentRuntime Runtime, RouterClient Client) sender, (AgentRuntime Runtime, RouterClient Client) receiver)
    {
        Target = target;
        _log = log;
        (_sender, SenderClient) = sender;
        (_receiver, ReceiverClient) = receiver;
    }

    /// <summary>The receiver's agent.</summary>
    public AgentId Target { get; }

    public RouterClient SenderClient { get; }

    public RouterClient ReceiverClient { get; }

    /// <summary>Tells sent so far (numbered 0 to Sent - 1).</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Joins the pair to <paramref name="cluster"/> (the cluster disposes them) and checks one ask end to end.</summary>
    public static async Task<HealthyPair> JoinAsync(Cluster cluster)
    {
        var target = new AgentId(s_type, (uint)Interlocked.Increment(ref s_nextKey));
        var log = new TallyLog();
        var receiver = await cluster.JoinAsync("healthy-receiver", r => r.Spawn(s_type, target.Key, () => new Tally(log)));
        var sender = await cluster.JoinAsync("healthy-sender");
        Eventually.True(() => cluster.Router.Table.Owner(target.Value) is not null, $"the router to know {target}");
        var pair = new HealthyPair(target, log, sender, receiver);
        await pair.AskAsync();
        return pair;
    }

    /// <summary>Sends <paramref name="count"/> numbered tells; each must be accepted.</summary>
    public void Send(int count)
    {
        for (int i = 0; i < count; i++)
        {
            long sequence = Volatile.Read(ref _sent);
            Assert.Equal(SendStatus.Sent, _sender.Tell(Target, new Numbered(sequence)));
            Volatile.Write(ref _sent, sequence + 1);
        }
    }

    /// <summary>One ask across the router, answered with the same message.</summary>
    public async Task AskAsync()
    {
        var request = new Numbered(-Random.Shared.NextInt64(1, long.MaxValue));
        Numbered reply = await _sender.AskAsync<Numbered, Numbered>(Target, request, TimeSpan.FromSeconds(30));
        Assert.Equal(request, reply);
    }

    /// <summary>Keeps sending tells (small batches, a short pause between) until <see cref="StopBackgroundAsync"/>.</summary>
    public void StartBackground()
    {
        Assert.Null(_background);
        _stopBackground = false;
        _background = Task.Factory.StartNew(
            () =>
            {
                while (!_stopBackground)
                {
                    Send(32);
                    Thread.Sleep(1);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Waits until the background sender has sent <paramref name="more"/> further tells (so that sends overlap what the test does meanwhile).</summary>
    public void WaitForProgress(int more)
    {
        long target = Sent + more;
        Eventually.True(() => Sent >= target || _background is { IsCompleted: true }, $"the healthy sender to send {more} more tells");
        if (_background is { IsFaulted: true } failed)
        {
            failed.GetAwaiter().GetResult();
        }
    }

    public async Task StopBackgroundAsync()
    {
        _stopBackground = true;
        if (_background is { } background)
        {
            await background.WaitAsync(TimeSpan.FromSeconds(60));
            _background = null;
        }
    }

    /// <summary>
    /// Waits for every tell sent so far to arrive, then checks they arrived exactly once and in order, that neither
    /// runtime dead-lettered anything, and that neither client lost its connection.
    /// </summary>
    public void AssertNoneLost()
    {
        long sent = Sent;
        Eventually.True(() => _log.Count >= sent, $"{sent} tells to arrive at the healthy receiver (it has {_log.Count})", TimeSpan.FromSeconds(60));
        long[] seen = _log.Snapshot();
        for (int i = 0; i < seen.Length; i++)
        {
            if (seen[i] != i)
            {
                Assert.Fail($"The healthy receiver's message #{i} was {seen[i]}, not {i}: lost, duplicated or reordered ({seen.Length} received, {sent} sent).");
            }
        }

        Assert.Equal(sent, seen.LongLength);
        Assert.True(_sender.DeadLetters.Count == 0, $"the healthy sender dead-lettered: {string.Join("; ", _sender.DeadLetters.Recent())}");
        Assert.True(_receiver.DeadLetters.Count == 0, $"the healthy receiver dead-lettered: {string.Join("; ", _receiver.DeadLetters.Recent())}");
        Assert.True(SenderClient.IsConnected && ReceiverClient.IsConnected, "a healthy client lost its connection");
        Assert.Equal(0, SenderClient.Reconnections);
        Assert.Equal(0, ReceiverClient.Reconnections);
    }
}
