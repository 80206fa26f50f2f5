using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using FastAgents.Benchmarks.Latency;
using FastAgents.Perf;
using FastAgents.Perf.Load;
using FastAgents.Runtime;

namespace FastAgents.Benchmarks.Agents;

/// <summary>
/// The runtime's own numbers against the usual .NET way of building agents (one Channel per agent, one reader
/// task per agent, a TaskCompletionSource per ask), measured in the same run, in rounds whose order alternates:
/// <list type="bullet">
/// <item>Tell throughput between two agents on two workers (an 8-byte message struct);</item>
/// <item>Ask round trip from a caller outside the agents, percentiles per ask;</item>
/// <item>bytes allocated per Tell, per Ask and per Publish to one subscriber, across the whole process.</item>
/// </list>
/// </summary>
internal static class AgentHarness
{
    public static int Run(bool quick)
    {
        int rounds = quick ? 3 : 7;
        int tells = quick ? 2_000_000 : 5_000_000;
        int asks = quick ? 50_000 : 200_000;

        using var ours = new OursPipeline();
        using var peer = new ChannelPipeline();

        // Warm both until tiered compilation has settled (a second or so of each kind of traffic).
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(quick ? 1.5 : 3))
        {
            ours.Tell(tells / 10);
            peer.Tell(tells / 10);
            ours.Ask(asks / 10, null).AsTask().Wait();
            peer.Ask(asks / 10, null).Wait();
            ours.Publish(tells / 20);
        }

        long oursTellAlloc = 0, peerTellAlloc = 0;
        var oursAsk = new LogLinearHistogram();
        var peerAsk = new LogLinearHistogram();
        long oursAskAlloc = 0, peerAskAlloc = 0;
        long publishAlloc = 0;
        var oursRates = new List<double>();
        var peerRates = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            for (int k = 0; k < 2; k++)
            {
                Thread.Sleep(50);
                long before = GC.GetTotalAllocatedBytes(precise: true);
                if (((r + k) & 1) == 0)
                {
                    oursRates.Add(ours.Tell(tells));
                    oursTellAlloc += GC.GetTotalAllocatedBytes(precise: true) - before;
                }
                else
                {
                    peerRates.Add(peer.Tell(tells));
                    peerTellAlloc += GC.GetTotalAllocatedBytes(precise: true) - before;
                }
            }

            for (int k = 0; k < 2; k++)
            {
                // Let the other variant's threads finish spinning and park before this one is measured.
                Thread.Sleep(50);
                long before = GC.GetTotalAllocatedBytes(precise: true);
                if (((r + k) & 1) == 0)
                {
                    ours.Ask(asks, oursAsk).AsTask().Wait();
                    oursAskAlloc += GC.GetTotalAllocatedBytes(precise: true) - before;
                }
                else
                {
                    peer.Ask(asks, peerAsk).Wait();
                    peerAskAlloc += GC.GetTotalAllocatedBytes(precise: true) - before;
                }
            }

            long beforePublish = GC.GetTotalAllocatedBytes(precise: true);
            ours.Publish(tells / 10);
            publishAlloc += GC.GetTotalAllocatedBytes(precise: true) - beforePublish;
        }

        long totalTells = (long)rounds * tells;
        Console.WriteLine();
        Console.WriteLine($"tell between two agents on two workers: {rounds} rounds x {tells:N0} messages per variant");
        Console.WriteLine($"{"variant",-34}{"msg/s (mean)",16}{"min",14}{"max",14}{"B/msg",8}");
        PrintRate("fastagents", oursRates, oursTellAlloc / (double)totalTells);
        PrintRate("channels + reader tasks", peerRates, peerTellAlloc / (double)totalTells);
        double tellRatio = oursRates.Average() / peerRates.Average();

        LatencyTable.Print($"ask round trip from outside the agents: {rounds} rounds x {asks:N0} per variant, microseconds",
        [
            ("fastagents AskAsync", oursAsk, oursAskAlloc / (double)oursAsk.TotalCount),
            ("channels + TaskCompletionSource", peerAsk, peerAskAlloc / (double)peerAsk.TotalCount),
        ]);

        double publishPer = publishAlloc / ((double)rounds * (tells / 10));
        double Ratio(double p) => peerAsk.ValueAtPercentile(p) / (double)Math.Max(1, oursAsk.ValueAtPercentile(p));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result agents tell_ratio={tellRatio:F2} ours_msgs_per_s={oursRates.Average():F0} channels_msgs_per_s={peerRates.Average():F0} tell_alloc_bytes_per_msg={oursTellAlloc / (double)totalTells:F3} (target ratio >= 5, 0 B)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result agents ask_ratio p50={Ratio(50):F2}x p99={Ratio(99):F2}x p99.9={Ratio(99.9):F2}x ask_alloc_bytes={oursAskAlloc / (double)oursAsk.TotalCount:F3} (target p50 >= 1, p99 >= 2, p99.9 >= 5, 0 B)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result agents publish_alloc_bytes_per_msg={publishPer:F3} (target 0 B)"));
        return 0;
    }

    private static void PrintRate(string name, List<double> rates, double allocated) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-34}{rates.Average(),16:N0}{rates.Min(),14:N0}{rates.Max(),14:N0}{allocated,8:F3}"));

    internal readonly record struct Tick(long Value);

    internal readonly record struct Question(long Value);

    internal readonly record struct Answer(long Value);

    internal readonly record struct Go(int Count);

    /// <summary>Source on worker 0 sends to sink on worker 1; the sink signals when it has counted them all.</summary>
    private sealed class OursPipeline : IDisposable
    {
        private static readonly AgentType s_type = AgentType.Register("bench");
        private static readonly Topic s_topic = new("bench.ticks");
        private readonly AgentRuntime _runtime = new(new RuntimeOptions { Workers = 2, Name = "bench" });
        private readonly AgentId _source;
        private readonly AgentId _sink;
        private readonly Sink _sinkAgent = new();

        public OursPipeline()
        {
            _sink = _runtime.Spawn(s_type, 2, () => _sinkAgent, new AgentOptions { Worker = 1 });
            _source = _runtime.Spawn(s_type, 1, () => new Source(_sink), new AgentOptions { Worker = 0 });
            _runtime.Subscribe(_sink, s_topic);
        }

        public double Tell(int count)
        {
            _sinkAgent.Expect(count);
            long start = Stopwatch.GetTimestamp();
            _runtime.Tell(_source, new Go(count));
            _sinkAgent.Done.Wait();
            return count / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        public void Publish(int count)
        {
            _sinkAgent.Expect(count);
            _runtime.Tell(_source, new Go(-count));
            _sinkAgent.Done.Wait();
        }

        public async ValueTask Ask(int count, LogLinearHistogram? histogram)
        {
            await Task.Yield();
            for (int i = 0; i < count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                Answer answer = await _runtime.AskAsync<Question, Answer>(_sink, new Question(i));
                long end = Stopwatch.GetTimestamp();
                if (answer.Value != i + 1)
                {
                    throw new InvalidOperationException("wrong answer");
                }

                histogram?.Record(StopwatchTicks.ToNanoseconds(end - start));
            }
        }

        public void Dispose() => _runtime.Dispose();

        private sealed class Source(AgentId sink) : Agent, IHandle<Go>
        {
            protected override void Configure(HandlerMap handlers) => handlers.Add<Go>(this);

            public void Handle(in Go message, AgentContext context)
            {
                if (message.Count >= 0)
                {
                    for (int i = 0; i < message.Count; i++)
                    {
                        context.Tell(sink, new Tick(i));
                    }
                }
                else
                {
                    for (int i = 0; i < -message.Count; i++)
                    {
                        context.Publish(s_topic, new Tick(i));
                    }
                }
            }
        }

        private sealed class Sink : Agent, IHandle<Tick>, IHandle<Question>
        {
            private long _expected;
            private long _seen;

            public ManualResetEventSlim Done { get; } = new();

            public void Expect(long count)
            {
                _seen = 0;
                Volatile.Write(ref _expected, count);
                Done.Reset();
            }

            protected override void Configure(HandlerMap handlers) => handlers.Add<Tick>(this).Add<Question>(this);

            public void Handle(in Tick message, AgentContext context)
            {
                if (++_seen == Volatile.Read(ref _expected))
                {
                    Done.Set();
                }
            }

            public void Handle(in Question message, AgentContext context) => context.Reply(new Answer(message.Value + 1));
        }
    }

    /// <summary>The same pipeline the usual way: an unbounded channel per agent, a reader task per agent.</summary>
    private sealed class ChannelPipeline : IDisposable
    {
        private readonly Channel<Go> _sourceInbox = Channel.CreateUnbounded<Go>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Channel<SinkMessage> _sinkInbox = Channel.CreateUnbounded<SinkMessage>(new UnboundedChannelOptions { SingleReader = true });
        private readonly ManualResetEventSlim _done = new();
        private readonly Task _sourceTask;
        private readonly Task _sinkTask;
        private long _expected;

        public ChannelPipeline()
        {
            _sourceTask = Task.Run(RunSource);
            _sinkTask = Task.Run(RunSink);
        }

        public double Tell(int count)
        {
            Volatile.Write(ref _expected, count);
            _done.Reset();
            long start = Stopwatch.GetTimestamp();
            _sourceInbox.Writer.TryWrite(new Go(count));
            _done.Wait();
            return count / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        public async Task Ask(int count, LogLinearHistogram? histogram)
        {
            await Task.Yield();
            for (int i = 0; i < count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                var tcs = new TaskCompletionSource<Answer>();
                _sinkInbox.Writer.TryWrite(new SinkMessage(new Tick(0), new Question(i), tcs));
                Answer answer = await tcs.Task;
                long end = Stopwatch.GetTimestamp();
                if (answer.Value != i + 1)
                {
                    throw new InvalidOperationException("wrong answer");
                }

                histogram?.Record(StopwatchTicks.ToNanoseconds(end - start));
            }
        }

        public void Dispose()
        {
            _sourceInbox.Writer.Complete();
            _sinkInbox.Writer.Complete();
            Task.WaitAll(_sourceTask, _sinkTask);
        }

        private async Task RunSource()
        {
            ChannelReader<Go> reader = _sourceInbox.Reader;
            ChannelWriter<SinkMessage> sink = _sinkInbox.Writer;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out Go go))
                {
                    for (int i = 0; i < go.Count; i++)
                    {
                        sink.TryWrite(new SinkMessage(new Tick(i), default, null));
                    }
                }
            }
        }

        private async Task RunSink()
        {
            ChannelReader<SinkMessage> reader = _sinkInbox.Reader;
            long seen = 0;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out SinkMessage message))
                {
                    if (message.Reply is { } reply)
                    {
                        reply.SetResult(new Answer(message.Question.Value + 1));
                    }
                    else if (++seen == Volatile.Read(ref _expected))
                    {
                        seen = 0;
                        _done.Set();
                    }
                }
            }
        }

        private readonly record struct SinkMessage(Tick Tick, Question Question, TaskCompletionSource<Answer>? Reply);
    }
}
