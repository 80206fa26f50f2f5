using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FastAgents.Router;
using FastAgents.Runtime;
using FastAgents.Transport.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace FastAgents.Transport.Tests;

/// <summary>
/// Random and mutated frames thrown at a live router over many raw connections, while a healthy pair exchanges
/// tells: the router must answer each bad stream with a well-formed error (or serve it, when it happens to be
/// valid), close what it should, keep nothing of the fuzz connections afterwards, and lose nothing of the pair's.
/// </summary>
/// <remarks>Set FASTAGENTS_FUZZ_SEED to replay a run; the seed in use is printed.</remarks>
public sealed class RouterFuzzTests(ITestOutputHelper output)
{
    private const long FrameTarget = 500_000;
    private const int Workers = 3;
    private static readonly AgentType s_late = AgentType.Register("transport-tests/late");

    [Fact]
    public async Task Router_RandomAndMutatedFramesOnManyConnections_KeepsServingAndLosesNothing()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("FASTAGENTS_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int given) ? given : 0x5EED;
        output.WriteLine($"fuzz seed {seed} (FASTAGENTS_FUZZ_SEED={seed} replays these streams)");
        // Earlier tests' unobserved tasks are finalized now, not during this one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var faults = new ConcurrentQueue<string>();
        EventHandler<UnobservedTaskExceptionEventArgs> unobserved = (_, e) =>
        {
            string text = e.Exception.ToString();
            if (text.Contains("FastAgents.Router.", StringComparison.Ordinal))
            {
                faults.Enqueue(text[..Math.Min(text.Length, 4000)]);
            }
        };
        TaskScheduler.UnobservedTaskException += unobserved;
        try
        {
            await RunAsync(seed, faults);
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= unobserved;
        }
    }

    private async Task RunAsync(int seed, ConcurrentQueue<string> faults)
    {
        await using Cluster cluster = await Cluster.StartAsync(new RouterOptions { MaxFrame = 64 * 1024, MaxQueuedBytes = 1 << 20 });
        RouterServer router = cluster.Router;
        HealthyPair pair = await HealthyPair.JoinAsync(cluster);
        pair.Send(1_000);
        pair.AssertNoneLost();
        long framesInBefore = router.Metrics.FramesIn;
        long[] errorsBefore = Enum.GetValues<ErrorCode>().Select(router.Metrics.ProtocolErrors).ToArray();

        var stats = new FuzzStats();
        var watch = Stopwatch.StartNew();
        pair.StartBackground();
        pair.WaitForProgress(100);
        Task[] workers = [.. Enumerable.Range(0, Workers).Select(w => Task.Run(() => FuzzAsync(cluster.SocketPath, seed, w, stats)))];
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(5));
        pair.WaitForProgress(100);
        await pair.StopBackgroundAsync();
        TimeSpan fuzzTime = watch.Elapsed;

        // The pair lost nothing and was never disturbed.
        pair.Send(1_000);
        pair.AssertNoneLost();
        await pair.AskAsync();

        // The router still serves: newcomers join, register and ask each other.
        var late = new AgentId(s_late, 1);
        await cluster.JoinAsync("late-b", r => r.Spawn<Recorder>(s_late, late.Key));
        (AgentRuntime asker, _) = await cluster.JoinAsync("late-a");
        Eventually.True(() => router.Table.Owner(late.Value) is not null, "the router to register a newcomer's agent");
        Pong pong = await asker.AskAsync<Ping, Pong>(late, new Ping(21), TimeSpan.FromSeconds(30));
        Assert.Equal(42, pong.Value);
        Assert.Equal(new Numbered(5), await asker.AskAsync<Numbered, Numbered>(pair.Target, new Numbered(5), TimeSpan.FromSeconds(30)));

        // Nothing of the fuzz connections is left: connections, agents, subscriptions, capabilities.
        Eventually.True(() => router.ConnectionCount == 4 && router.Metrics.Connections == 4, $"only the 4 well-behaved connections to be left (there are {router.ConnectionCount})");
        Assert.Equal(2, router.AgentCount);
        Assert.All(FrameFuzzer.Topics, topic => Assert.Empty(router.Table.Subscribers(topic)));
        Assert.All(FrameFuzzer.Capabilities, capability => Assert.Null(router.Table.PickLeastBusy(capability)));

        // Every protocol error the router counted was told to its connection, in a well-formed Error frame.
        long[] errors = [.. Enum.GetValues<ErrorCode>().Select(code => router.Metrics.ProtocolErrors(code) - errorsBefore[(int)code])];
        string histogram = string.Join(", ", Enum.GetValues<ErrorCode>().Where(c => errors[(int)c] > 0).Select(c => $"{c} {errors[(int)c]}"));
        output.WriteLine(
            $"{stats.Connections} connections, {stats.Frames} frames thrown ({stats.Bytes} bytes) in {fuzzTime.TotalSeconds:0.0} s; " +
            $"router read {router.Metrics.FramesIn - framesInBefore} frames; error frames received {stats.ErrorFrames}; counted: {histogram}; " +
            $"the healthy pair exchanged {pair.Sent} tells");
        Assert.True(stats.Frames >= FrameTarget, $"only {stats.Frames} frames thrown");
        Assert.Equal(stats.ErrorFrames, errors.Sum());
        foreach (ErrorCode code in Enum.GetValues<ErrorCode>())
        {
            Assert.Equal(stats.ErrorCodes.GetValueOrDefault(code), errors[(int)code]);
        }

        // No exception escaped a router connection's task.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.True(faults.IsEmpty, "unobserved exceptions:\n" + string.Join("\n\n", faults));
    }

    private static async Task FuzzAsync(string socketPath, int seed, int worker, FuzzStats stats)
    {
        var fuzzer = new FrameFuzzer(HashCode.Combine(seed, worker));
        for (int n = 0; Interlocked.Read(ref stats.Frames) < FrameTarget; n++)
        {
            List<byte[]> frames = fuzzer.NextConnection();
            byte[] bytes = [.. frames.SelectMany(static f => f)];
            using RawConnection raw = await RawConnection.ConnectAsync(socketPath);
            raw.TrySend(bytes);
            raw.ShutdownSend();
            long end = 0;
            long thrown = frames.Count(f => (end += f.Length) <= raw.BytesSent);
            Interlocked.Add(ref stats.Frames, thrown);
            Interlocked.Add(ref stats.Bytes, raw.BytesSent);
            Interlocked.Increment(ref stats.Connections);

            // Read everything the router says until it closes: well-formed frames only, nothing after an error.
            string where = $"worker {worker}, connection {n} (stream {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 96)))}...)";
            bool ended = false;
            while (true)
            {
                byte[]? frame;
                try
                {
                    frame = await raw.ReadFrameAsync();
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"The router neither closed nor answered {where}.");
                    return;
                }

                if (frame is null)
                {
                    break;
                }

                Assert.False(ended, $"the router sent a {(FrameKind)frame[5]} frame after its Error frame to {where}");
                FrameKind kind;
                try
                {
                    Frames.CheckPrefix(frame, int.MaxValue, out int length, out kind);
                    Assert.Equal(frame.Length, length);
                }
                catch (ProtocolException ex)
                {
                    Assert.Fail($"The router sent a malformed frame ({ex.Message}) to {where}.");
                    return;
                }

                switch (kind)
                {
                    case FrameKind.Error:
                        (ErrorCode code, _) = Frames.ReadError(frame);
                        stats.ErrorCodes.AddOrUpdate(code, 1, static (_, c) => c + 1);
                        Interlocked.Increment(ref stats.ErrorFrames);
                        ended = true;
                        break;
                    case FrameKind.Welcome or FrameKind.Heartbeat or FrameKind.Undeliverable or FrameKind.Gone or FrameKind.Close:
                        break;
                    default:
                        Assert.True(Frames.IsEnvelope(kind), $"the router sent a {kind} frame to {where}");
                        Frames.CheckEnvelope(frame); // it routed the fuzzer's own envelope back to it: it must have checked it
                        break;
                }
            }
        }
    }

    private sealed class FuzzStats
    {
        public readonly ConcurrentDictionary<ErrorCode, long> ErrorCodes = new();
        public long Frames;
        public long Bytes;
        public long Connections;
        public long ErrorFrames;
    }
}
