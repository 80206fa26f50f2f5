using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using FastAgents.Benchmarks.Latency;
using FastAgents.Perf;
using FastAgents.Perf.Load;
using FastAgents.Rings;
using FastAgents.Runtime;

namespace FastAgents.Benchmarks.Agents;

/// <summary>
/// The runtime's own numbers against the usual .NET way of building agents (one Channel per agent, one reader
/// task per agent, a TaskCompletionSource per ask) and a tuned version of it, measured in the same run, in rounds
/// whose order rotates:
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
        // Many short rounds, rotating: the vCPUs of this kind of machine change speed from second to second (a
        // busy neighbour on the same physical core can halve one), so each variant must sample the same spells.
        int rounds = quick ? 8 : 30;
        int tells = quick ? 1_000_000 : 2_000_000;
        int asks = quick ? 10_000 : 25_000;

        using var ours = new OursPipeline();
        using var usual = new ChannelPipeline("channels, the usual way", tuned: false);
        using var tuned = new ChannelPipeline("channels, tuned", tuned: true);
        IPipeline[] variants = [ours, usual, tuned];

        // Warm every variant until tiered compilation has settled (a second or so of each kind of traffic).
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(quick ? 1.5 : 3))
        {
            foreach (IPipeline v in variants)
            {
                v.Tell(tells / 10);
                v.Ask(asks / 10, null).Wait();
            }

            ours.Publish(tells / 20);
        }

        var rates = new List<double>[variants.Length];
        var tellBytes = new long[variants.Length];
        var askHistograms = new LogLinearHistogram[variants.Length];
        var askBytes = new long[variants.Length];
        for (int i = 0; i < variants.Length; i++)
        {
            rates[i] = [];
            askHistograms[i] = new LogLinearHistogram();
        }

        using var floor = new RingFloor();
        floor.Run(tells / 10);
        var floorRates = new List<double>();
        long publishAlloc = 0;
        for (int r = 0; r < rounds; r++)
        {
            Thread.Sleep(20);
            floorRates.Add(floor.Run(tells));

            // Rotate the order each round so that no variant always follows the same neighbour.
            for (int k = 0; k < variants.Length; k++)
            {
                int i = (k + r) % variants.Length;
                Thread.Sleep(20); // let the previous variant's threads finish spinning and park
                long before = GC.GetTotalAllocatedBytes(precise: true);
                rates[i].Add(variants[i].Tell(tells));
                tellBytes[i] += GC.GetTotalAllocatedBytes(precise: true) - before;
            }

            for (int k = 0; k < variants.Length; k++)
            {
                int i = (k + r) % variants.Length;
                Thread.Sleep(20);
                long before = GC.GetTotalAllocatedBytes(precise: true);
                variants[i].Ask(asks, askHistograms[i]).Wait();
                askBytes[i] += GC.GetTotalAllocatedBytes(precise: true) - before;
            }

            long beforePublish = GC.GetTotalAllocatedBytes(precise: true);
            ours.Publish(tells / 10);
            publishAlloc += GC.GetTotalAllocatedBytes(precise: true) - beforePublish;
        }

        long totalTells = (long)rounds * tells;
        Console.WriteLine();
        Console.WriteLine($"tell between two agents on two workers: {rounds} rounds x {tells:N0} messages per variant");
        Console.WriteLine($"{"variant",-34}{"msg/s (mean)",16}{"min",14}{"max",14}{"B/msg",8}");
        for (int i = 0; i < variants.Length; i++)
        {
            PrintRate(variants[i].Name, rates[i], tellBytes[i] / (double)totalTells);
        }

        PrintRate("floor: bare ring, 64-byte events", floorRates, 0);

        var rows = new List<(string, LogLinearHistogram, double)>();
        for (int i = 0; i < variants.Length; i++)
        {
            rows.Add((variants[i].Name, askHistograms[i], askBytes[i] / (double)askHistograms[i].TotalCount));
        }

        LatencyTable.Print($"ask round trip from outside the agents: {rounds} rounds x {asks:N0} per variant, microseconds", rows);

        Console.WriteLine();
        for (int peer = 1; peer < variants.Length; peer++)
        {
            LogLinearHistogram theirs = askHistograms[peer];
            LogLinearHistogram mine = askHistograms[0];
            double Ratio(double p) => theirs.ValueAtPercentile(p) / (double)Math.Max(1, mine.ValueAtPercentile(p));
            string slug = peer == 1 ? "usual" : "tuned";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"result agents vs_{slug} tell_ratio={rates[0].Average() / rates[peer].Average():F2} ours_msgs_per_s={rates[0].Average():F0} peer_msgs_per_s={rates[peer].Average():F0} ask_p50={Ratio(50):F2}x ask_p99={Ratio(99):F2}x ask_p999={Ratio(99.9):F2}x"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result agents floor ring_64b_events_per_s={floorRates.Average():F0} ours_share_of_floor={rates[0].Average() / floorRates.Average():F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result agents alloc tell_bytes_per_msg={tellBytes[0] / (double)totalTells:F3} ask_bytes_per_op={askBytes[0] / (double)askHistograms[0].TotalCount:F3} publish_bytes_per_msg={publishAlloc / ((double)rounds * (tells / 10)):F3}"));
        Console.WriteLine("targets against the usual way: tell_ratio >= 5; ask p50 >= 1x, p99 >= 2x, p99.9 >= 5x; 0 bytes per tell, ask and publish");
        return 0;
    }

    private static void PrintRate(string name, List<double> rates, double allocated) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-34}{rates.Average(),16:N0}{rates.Min(),14:N0}{rates.Max(),14:N0}{allocated,8:F3}"));

    /// <summary>
    /// The physical limit of the Tell case on this machine, measured in the same run: one producer thread and one
    /// consumer thread on a ring of 64-byte events (a small envelope's size), no runtime at all, claimed one at a
    /// time and published every 32, as the workers do.
    /// </summary>
    private sealed class RingFloor : IDisposable
    {
        private const int Size = 4096;
        private readonly SingleProducerSequencer<SpinThenParkWait> _sequencer = new(Size, new SpinThenParkWait());
        private readonly RingBuffer<Line> _ring = new(Size);
        private readonly BatchConsumer<Line, LineReader, SpinThenParkWait> _consumer;

        public RingFloor()
        {
            _consumer = new BatchConsumer<Line, LineReader, SpinThenParkWait>(_ring, _sequencer.NewBarrier(), default);
            _sequencer.AddGatingSequences(_consumer.Sequence);
            _consumer.Start("floor consumer", -1);
        }

        public double Run(int count)
        {
            long start = Stopwatch.GetTimestamp();
            long last = -1;
            for (int i = 0; i < count; i++)
            {
                long s = _sequencer.Next();
                _ring[s].Fill(i);
                if ((i & 31) == 31)
                {
                    _sequencer.Publish(s);
                }

                last = s;
            }

            _sequencer.Publish(last);
            var spin = default(SpinWait);
            while (_consumer.Sequence.Value < last)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            return count / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        public void Dispose() => _consumer.Halt();

        [StructLayout(LayoutKind.Sequential, Size = 64)]
        private struct Line
        {
            public long A, B, C, D, E, F, G, H;

            public void Fill(long v)
            {
                A = v;
                B = v;
                C = v;
                D = v;
                E = v;
                F = v;
                G = v;
                H = v;
            }
        }

        private struct LineReader : IEventHandler<Line>
        {
            private long _sum;

            public void OnEvent(ref Line data, long sequence, bool endOfBatch) => _sum += data.A + data.H;
        }
    }

    private interface IPipeline
    {
        string Name { get; }

        double Tell(int count);

        Task Ask(int count, LogLinearHistogram? histogram);
    }

    internal readonly record struct Tick(long Value);

    internal readonly record struct Question(long Value);

    internal readonly record struct Answer(long Value);

    internal readonly record struct Go(int Count);

    /// <summary>Source on worker 0 sends to sink on worker 1; the sink signals when it has counted them all.</summary>
    private sealed class OursPipeline : IPipeline, IDisposable
    {
        public string Name => "fastagents";

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

        public async Task Ask(int count, LogLinearHistogram? histogram)
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

    /// <summary>
    /// The same pipeline built with channels: one unbounded channel per agent and a reader task per agent; an ask
    /// carries a TaskCompletionSource. "The usual way" is the code most services have: default channel options
    /// and <c>await foreach</c> over <c>ReadAllAsync</c>. "Tuned" declares a single reader and drains with
    /// <c>WaitToReadAsync</c> and <c>TryRead</c>.
    /// </summary>
    private sealed class ChannelPipeline : IPipeline, IDisposable
    {
        private readonly Channel<Go> _sourceInbox;
        private readonly Channel<SinkMessage> _sinkInbox;
        private readonly ManualResetEventSlim _done = new();
        private readonly Task _sourceTask;
        private readonly Task _sinkTask;
        private long _expected;

        public ChannelPipeline(string name, bool tuned)
        {
            Name = name;
            if (tuned)
            {
                _sourceInbox = Channel.CreateUnbounded<Go>(new UnboundedChannelOptions { SingleReader = true });
                _sinkInbox = Channel.CreateUnbounded<SinkMessage>(new UnboundedChannelOptions { SingleReader = true });
                _sourceTask = Task.Run(RunSourceTuned);
                _sinkTask = Task.Run(RunSinkTuned);
            }
            else
            {
                _sourceInbox = Channel.CreateUnbounded<Go>();
                _sinkInbox = Channel.CreateUnbounded<SinkMessage>();
                _sourceTask = Task.Run(RunSourceUsual);
                _sinkTask = Task.Run(RunSinkUsual);
            }
        }

        public string Name { get; }

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

        private async Task RunSourceUsual()
        {
            ChannelWriter<SinkMessage> sink = _sinkInbox.Writer;
            await foreach (Go go in _sourceInbox.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                for (int i = 0; i < go.Count; i++)
                {
                    sink.TryWrite(new SinkMessage(new Tick(i), default, null));
                }
            }
        }

        private async Task RunSinkUsual()
        {
            long seen = 0;
            await foreach (SinkMessage message in _sinkInbox.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                seen = Handle(message, seen);
            }
        }

        private async Task RunSourceTuned()
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

        private async Task RunSinkTuned()
        {
            ChannelReader<SinkMessage> reader = _sinkInbox.Reader;
            long seen = 0;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out SinkMessage message))
                {
                    seen = Handle(message, seen);
                }
            }
        }

        private long Handle(in SinkMessage message, long seen)
        {
            if (message.Reply is { } reply)
            {
                reply.SetResult(new Answer(message.Question.Value + 1));
                return seen;
            }

            if (++seen == Volatile.Read(ref _expected))
            {
                _done.Set();
                return 0;
            }

            return seen;
        }

        private readonly record struct SinkMessage(Tick Tick, Question Question, TaskCompletionSource<Answer>? Reply);
    }
}
