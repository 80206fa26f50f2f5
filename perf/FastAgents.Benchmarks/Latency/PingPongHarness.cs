using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using FastAgents.Benchmarks.Rings;
using FastAgents.Perf;
using FastAgents.Perf.Load;
using FastAgents.Rings;

namespace FastAgents.Benchmarks.Latency;

/// <summary>
/// Two-thread ping-pong round trips: ours (the default spin-then-park strategy, unpinned and with both
/// threads pinned, and the other strategies for reference) against System.Threading.Channels (unbounded
/// and bounded) in the same run. The variants take turns in rounds, in an order that rotates, so a noisy
/// spell on the machine hits all of them alike. Each round trip is recorded in a log-linear histogram;
/// allocation is measured across the whole process; and for our variants the share of round trips in
/// which both threads ran on the same CPU is reported, because that, not the ring, is what sets the tail
/// on a two-core machine.
/// </summary>
internal static class PingPongHarness
{
    public static int Run(bool quick)
    {
        int rounds = quick ? 4 : 10;
        int perRound = quick ? 50_000 : 200_000;
        int warmup = quick ? 20_000 : 100_000;
        bool canPin = Environment.ProcessorCount >= 2 && ThreadAffinity.TryUnpinCurrentThread();

        var variants = new List<IPingPong>
        {
            new RingPingPong<SpinThenParkWait>("ring spin-then-park (default)", static () => new SpinThenParkWait(), pinned: false),
            new RingPingPong<BusySpinWait>("ring busy-spin", static () => default, pinned: false),
            new RingPingPong<YieldingWait>("ring yielding", static () => default, pinned: false),
            new RingPingPong<BlockingWait>("ring blocking (lock+pulse)", static () => new BlockingWait(), pinned: false),
            new ChannelPingPong("channels unbounded", bounded: false),
            new ChannelPingPong("channels bounded", bounded: true),
        };
        if (canPin)
        {
            variants.Insert(1, new RingPingPong<SpinThenParkWait>("ring spin-then-park, pinned", static () => new SpinThenParkWait(), pinned: true));
        }

        var histograms = variants.ConvertAll(_ => new LogLinearHistogram());
        var allocated = new long[variants.Count];
        foreach (IPingPong v in variants)
        {
            v.Run(warmup, null);
        }

        for (int r = 0; r < rounds; r++)
        {
            // Rotate the order each round so no variant always follows the same neighbour (the thread
            // pool's workers are still spinning down for a moment after a Channels variant).
            for (int k = 0; k < variants.Count; k++)
            {
                int i = (k + r) % variants.Count;
                long before = GC.GetTotalAllocatedBytes(precise: true);
                variants[i].Run(perRound, histograms[i]);
                allocated[i] += GC.GetTotalAllocatedBytes(precise: true) - before;
            }
        }

        foreach (IPingPong v in variants)
        {
            v.Dispose();
        }

        var rows = new List<(string, LogLinearHistogram, double)>();
        for (int i = 0; i < variants.Count; i++)
        {
            rows.Add((variants[i].Name, histograms[i], allocated[i] / (double)histograms[i].TotalCount));
        }

        LatencyTable.Print($"ping-pong round trip: {rounds} rounds x {perRound} per variant, microseconds", rows);
        Console.WriteLine();
        foreach (IPingPong v in variants)
        {
            if (v.SameCpuRoundTrips >= 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{v.Name}: both threads on one CPU in {v.SameCpuRoundTrips} round trips ({100.0 * v.SameCpuRoundTrips / (rounds * (double)perRound):F3}%)"));
            }
        }

        // Ours against the better of the two Channels variants at each percentile.
        LogLinearHistogram unbounded = histograms[variants.FindIndex(v => v.Name == "channels unbounded")];
        LogLinearHistogram bounded = histograms[variants.FindIndex(v => v.Name == "channels bounded")];
        Console.WriteLine();
        for (int i = 0; i < variants.Count; i++)
        {
            if (variants[i].Name.StartsWith("ring spin-then-park", StringComparison.Ordinal))
            {
                LogLinearHistogram ours = histograms[i];
                double Ratio(double p) => Math.Min(unbounded.ValueAtPercentile(p), bounded.ValueAtPercentile(p)) / (double)Math.Max(1, ours.ValueAtPercentile(p));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ratio best-channels/{variants[i].Name}: p50={Ratio(50):F2}x p99={Ratio(99):F2}x p99.9={Ratio(99.9):F2}x (target p50>=1, p99>=2, p99.9>=5)"));
            }
        }

        return 0;
    }

    private interface IPingPong : IDisposable
    {
        string Name { get; }

        /// <summary>Round trips measured with both threads on one CPU, or -1 when not known.</summary>
        long SameCpuRoundTrips { get; }

        void Run(int roundTrips, LogLinearHistogram? histogram);
    }

    /// <summary>Ping on one ring, pong on another; the echo side is a batch consumer whose handler publishes.</summary>
    private sealed class RingPingPong<TWait> : IPingPong where TWait : struct, IWaitStrategy
    {
        private readonly SingleProducerSequencer<TWait> _ping;
        private readonly RingBuffer<LongEvent> _pingRing;
        private readonly SingleProducerSequencer<TWait> _pong;
        private readonly RingBuffer<LongEvent> _pongRing;
        private readonly SequenceBarrier<TWait> _pongBarrier;
        private readonly Sequence _pongRead = new();
        private readonly BatchConsumer<LongEvent, EchoHandler<TWait>, TWait> _echo;
        private readonly bool _pinned;
        private Thread? _echoThread;
        private long _sameCpu;

        public RingPingPong(string name, Func<TWait> createWait, bool pinned)
        {
            Name = name;
            _pinned = pinned;
            _ping = new SingleProducerSequencer<TWait>(1024, createWait());
            _pingRing = new RingBuffer<LongEvent>(1024);
            _pong = new SingleProducerSequencer<TWait>(1024, createWait());
            _pongRing = new RingBuffer<LongEvent>(1024);
            _pongBarrier = _pong.NewBarrier();
            _pong.AddGatingSequences(_pongRead);
            _echo = new BatchConsumer<LongEvent, EchoHandler<TWait>, TWait>(_pingRing, _ping.NewBarrier(), new EchoHandler<TWait>(_pong, _pongRing));
            _ping.AddGatingSequences(_echo.Sequence);
        }

        public string Name { get; }

        public long SameCpuRoundTrips => _sameCpu;

        private static bool ParksWhenIdle => typeof(TWait) == typeof(SpinThenParkWait) || typeof(TWait) == typeof(BlockingWait);

        public void Run(int roundTrips, LogLinearHistogram? histogram)
        {
            // Agents' threads live as long as the agents, so the echo thread is started once. A strategy
            // that cannot idle without burning a core (busy-spin, yielding) would take that core from the
            // variant being measured, so its echo thread runs only during its own rounds.
            _echoThread ??= _echo.Start(Name + " echo", _pinned ? 1 : -1);
            if (_pinned)
            {
                ThreadAffinity.TryPinCurrentThread(0);
            }

            long next = _pongRead.Value + 1;
            for (int i = 0; i < roundTrips; i++)
            {
                long start = Stopwatch.GetTimestamp();
                long s = _ping.Next();
                _pingRing[s].Value = start;
                _ping.Publish(s);
                long available = _pongBarrier.WaitFor(next);
                long end = Stopwatch.GetTimestamp();

                // The echo writes the CPU it ran on into the reply.
                if (histogram is not null && _pongRing[available].Value == Thread.GetCurrentProcessorId())
                {
                    _sameCpu++;
                }

                _pongRead.SetValue(available);
                next = available + 1;
                histogram?.Record(StopwatchTicks.ToNanoseconds(end - start));
            }

            if (_pinned)
            {
                ThreadAffinity.TryUnpinCurrentThread();
            }

            if (!ParksWhenIdle)
            {
                Dispose();
            }
        }

        public void Dispose()
        {
            if (_echoThread is not null)
            {
                _echo.Halt();
                _echoThread.Join();
                _echoThread = null;
            }
        }
    }

    private readonly struct EchoHandler<TWait> : IEventHandler<LongEvent> where TWait : struct, IWaitStrategy
    {
        private readonly SingleProducerSequencer<TWait> _pong;
        private readonly RingBuffer<LongEvent> _pongRing;

        public EchoHandler(SingleProducerSequencer<TWait> pong, RingBuffer<LongEvent> pongRing)
        {
            _pong = pong;
            _pongRing = pongRing;
        }

        public void OnEvent(ref LongEvent data, long sequence, bool endOfBatch)
        {
            long s = _pong.Next();
            _pongRing[s].Value = Thread.GetCurrentProcessorId();
            _pong.Publish(s);
        }
    }

    /// <summary>The usual Channels shape: an async echo loop on the thread pool, an async caller awaiting ReadAsync.</summary>
    private sealed class ChannelPingPong : IPingPong
    {
        private readonly Channel<long> _ping;
        private readonly Channel<long> _pong;
        private readonly Task _echo;

        public ChannelPingPong(string name, bool bounded)
        {
            Name = name;
            _ping = Create(bounded);
            _pong = Create(bounded);
            _echo = Task.Run(EchoAsync);
        }

        public string Name { get; }

        public long SameCpuRoundTrips => -1;

        public void Run(int roundTrips, LogLinearHistogram? histogram) =>
            Task.Run(() => RunAsync(roundTrips, histogram)).GetAwaiter().GetResult();

        public void Dispose()
        {
            _ping.Writer.TryComplete();
            _echo.GetAwaiter().GetResult();
        }

        private async Task RunAsync(int roundTrips, LogLinearHistogram? histogram)
        {
            ChannelWriter<long> writer = _ping.Writer;
            ChannelReader<long> reader = _pong.Reader;
            for (int i = 0; i < roundTrips; i++)
            {
                long start = Stopwatch.GetTimestamp();
                if (!writer.TryWrite(start))
                {
                    await writer.WriteAsync(start).ConfigureAwait(false);
                }

                _ = await reader.ReadAsync().ConfigureAwait(false);
                long end = Stopwatch.GetTimestamp();
                histogram?.Record(StopwatchTicks.ToNanoseconds(end - start));
            }
        }

        private async Task EchoAsync()
        {
            ChannelReader<long> reader = _ping.Reader;
            ChannelWriter<long> writer = _pong.Writer;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out long value))
                {
                    if (!writer.TryWrite(value))
                    {
                        await writer.WriteAsync(value).ConfigureAwait(false);
                    }
                }
            }
        }

        private static Channel<long> Create(bool bounded) => bounded
            ? Channel.CreateBounded<long>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true })
            : Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    }
}
