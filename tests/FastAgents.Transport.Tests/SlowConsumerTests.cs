using System.Buffers.Binary;
using System.Globalization;
using FastAgents.Router;
using FastAgents.Runtime;
using FastAgents.Transport.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace FastAgents.Transport.Tests;

/// <summary>
/// A sender floods a consumer far slower than itself through a router with a small queue: every message must be
/// accounted for (handled, or dead-lettered on one side, or refused at the send), and the router's memory stays bounded.
/// </summary>
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    private const int Count = 200_000;
    private static readonly AgentType s_slow = AgentType.Register("transport-tests/slow");
    private static int s_nextKey;

    [Theory]
    [InlineData(Backpressure.Wait)]
    [InlineData(Backpressure.FailFast)]
    [InlineData(Backpressure.DropAndCount)]
    public async Task Tell_FloodToSlowConsumer_EveryMessageAccountedForAndQueueBounded(Backpressure backpressure)
    {
        var options = new RouterOptions
        {
            MaxFrame = 16 * 1024,
            MaxQueuedBytes = 64 * 1024,
            StallTimeout = TimeSpan.FromMilliseconds(100),
        };
        await using Cluster cluster = await Cluster.StartAsync(options);
        RouterServer router = cluster.Router;
        var target = new AgentId(s_slow, (uint)Interlocked.Increment(ref s_nextKey));
        var log = new TallyLog();
        var outcomes = new int[Count];
        var receiverLetters = new LetterCounter(outcomes);
        var senderLetters = new LetterCounter(outcomes);

        (AgentRuntime receiver, RouterClient receiverClient) = await cluster.JoinAsync(
            "slow-receiver",
            r => r.Spawn(s_slow, target.Key, () => new Tally(log, sleepMs: 1)),
            runtimeOptions: new RuntimeOptions
            {
                Workers = 1,
                Name = "slow-receiver",
                LaneCapacity = 64,
                SendTimeout = TimeSpan.FromMilliseconds(5),
                OnDeadLetter = receiverLetters.Record,
            });
        (AgentRuntime sender, RouterClient senderClient) = await cluster.JoinAsync(
            "flooder",
            options: cluster.ClientOptions("flooder") with { OutboundCapacity = 1024, MaxFrame = options.MaxFrame },
            runtimeOptions: new RuntimeOptions
            {
                Workers = 1,
                Name = "flooder",
                SendTimeout = TimeSpan.FromMilliseconds(50),
                OnDeadLetter = senderLetters.Record,
            });
        Eventually.True(() => router.Table.Owner(target.Value) is not null, "the router to know the slow agent");

        // Sample the router's queues while the flood runs.
        long maxQueued = 0;
        long maxTargetQueued = 0;
        long samples = 0;
        var sampling = new CancellationTokenSource();
        Task sampler = Task.Factory.StartNew(
            () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    maxQueued = Math.Max(maxQueued, QueuedBytes(router.MetricsText()));
                    maxTargetQueued = Math.Max(maxTargetQueued, router.Table.Owner(target.Value)?.QueuedBytes ?? 0);
                    samples++;
                    Thread.Sleep(1);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        long sent = 0;
        long droppedAtSend = 0;
        long notSent = 0;
        for (int i = 0; i < Count; i++)
        {
            SendStatus status;
            try
            {
                status = sender.Tell(target, new Numbered(i), backpressure: backpressure);
            }
            catch (InboxFullException)
            {
                status = SendStatus.Full;
            }

            switch (status)
            {
                case SendStatus.Sent:
                    sent++;
                    break;
                case SendStatus.Dropped:
                    droppedAtSend++; // dead-lettered in the sender (its letter carries the payload)
                    break;
                default:
                    notSent++;
                    Interlocked.Increment(ref outcomes[i]);
                    break;
            }
        }

        // Everything ends up somewhere, exactly once.
        long Accounted() => log.Count + receiver.DeadLetters.Count + sender.DeadLetters.Count + notSent;
        string State() =>
            $"handled {log.Count}, receiver dead letters {Reasons(receiver)}, sender dead letters {Reasons(sender)}, not sent {notSent}; " +
            $"sender: connected {senderClient.IsConnected}, reconnections {senderClient.Reconnections}, frames out {senderClient.FramesSent}, in {senderClient.FramesReceived}; " +
            $"receiver: connected {receiverClient.IsConnected}, reconnections {receiverClient.Reconnections}, frames in {receiverClient.FramesReceived}, worker queue {receiver.Agents().Sum(a => a.QueueDepth)}; " +
            $"router: queued for the receiver {router.Table.Owner(target.Value)?.QueuedBytes}, stalls {router.Metrics.Stalls}, " +
            $"errors {string.Join(", ", Enum.GetValues<ErrorCode>().Where(c => router.Metrics.ProtocolErrors(c) > 0).Select(c => $"{c} {router.Metrics.ProtocolErrors(c)}"))}\n" +
            string.Join("\n", router.MetricsText().Split('\n').Where(l => l.StartsWith("fastagents_router_", StringComparison.Ordinal) && !l.Contains("seconds", StringComparison.Ordinal)));
        Eventually.True(() => Accounted() >= Count, $"all {Count} messages to be accounted for: {State()}", TimeSpan.FromSeconds(120));
        await sampling.CancelAsync();
        await sampler.WaitAsync(TimeSpan.FromSeconds(30));

        long[] handled = log.Snapshot();
        foreach (long sequence in handled)
        {
            Interlocked.Increment(ref outcomes[sequence]);
        }

        long routerRefused = senderLetters.WithoutPayload;
        output.WriteLine(
            $"{backpressure}: sent {sent}, handled {handled.Length}, receiver dead letters {Reasons(receiver)}, sender dead letters {Reasons(sender)} " +
            $"({routerRefused} refused by the router, {droppedAtSend} dropped at the send), not sent {notSent}; " +
            $"router: stalls {router.Metrics.Stalls}, refused InboxFull {router.Metrics.Undeliverable(DeadLetterReason.InboxFull)}, " +
            $"max queued {maxQueued} bytes (target {maxTargetQueued}) over {samples} samples");

        Assert.Equal(Count, Accounted());
        Assert.Equal(Count, handled.Length + receiver.DeadLetters.Count + sender.DeadLetters.Count + notSent);
        Assert.Equal(sent, handled.Length + receiver.DeadLetters.Count + routerRefused + senderLetters.WithPayload - droppedAtSend);

        // Messages whose fate names them (handled, dead-lettered with their payload, refused at the send) are each
        // named once; the rest are the router's refusals, whose notices carry only the header.
        Assert.True(outcomes.All(o => o <= 1), $"messages counted twice: {string.Join(", ", Enumerable.Range(0, Count).Where(i => outcomes[i] > 1).Take(10))}");
        Assert.Equal(routerRefused, outcomes.LongCount(o => o == 0));
        Assert.Equal(0, receiverLetters.WithoutPayload);
        Assert.Equal(0, receiverLetters.Odd + senderLetters.Odd);
        for (int i = 1; i < handled.Length; i++)
        {
            Assert.True(handled[i] > handled[i - 1], $"handled out of order: {handled[i - 1]} then {handled[i]}");
        }

        Assert.True(handled.Length > 0, "the slow consumer handled nothing");
        Assert.True(handled.Length < Count, "the consumer was not slower than the flood: nothing was refused");

        // Memory stayed bounded: envelopes up to MaxQueuedBytes per connection, control frames up to four times it.
        long bound = (4L * options.MaxQueuedBytes) + options.MaxFrame;
        Assert.True(maxQueued <= bound, $"the router queued {maxQueued} bytes; the bound is {bound}");
        Assert.True(maxTargetQueued <= bound, $"the router queued {maxTargetQueued} bytes for the slow consumer; the bound is {bound}");

        // Nobody was disconnected for it: both clients read what the router sends them.
        Assert.Equal(0, router.Metrics.ProtocolErrors(ErrorCode.SlowReader));
        Assert.Equal(0, senderClient.Reconnections);
        Assert.Equal(0, receiverClient.Reconnections);
    }

    private static long QueuedBytes(string metrics)
    {
        const string Name = "fastagents_router_queued_bytes ";
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith(Name, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(Name.Length), CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail("fastagents_router_queued_bytes is missing from the metrics");
        return 0;
    }

    private static string Reasons(AgentRuntime runtime) =>
        runtime.DeadLetters.Count + " [" + string.Join(", ", Enum.GetValues<DeadLetterReason>()
            .Where(r => runtime.DeadLetters.CountOf(r) > 0)
            .Select(r => $"{r} {runtime.DeadLetters.CountOf(r)}")) + "]";

    /// <summary>Counts a runtime's dead letters, and marks the message of each one that carries its payload.</summary>
    private sealed class LetterCounter(int[] outcomes)
    {
        private long _withPayload;
        private long _withoutPayload;
        private long _odd;

        public long Odd => Volatile.Read(ref _odd);

        public long WithPayload => Volatile.Read(ref _withPayload);

        public long WithoutPayload => Volatile.Read(ref _withoutPayload);

        public void Record(DeadLetter letter)
        {
            if (letter.Payload.Length == sizeof(long))
            {
                long sequence = BinaryPrimitives.ReadInt64LittleEndian(letter.Payload.Span);
                Interlocked.Increment(ref outcomes[sequence]);
                Interlocked.Increment(ref _withPayload);
            }
            else if (letter.Payload.Length == 0)
            {
                Interlocked.Increment(ref _withoutPayload);
            }
            else
            {
                Interlocked.Increment(ref _odd); // asserted by the test: an observer must not throw
            }
        }
    }
}
