using System.Diagnostics;
using System.Globalization;
using FastAgents.Benchmarks.Rings;
using FastAgents.Perf;
using FastAgents.Perf.Load;
using FastAgents.Rings;

namespace FastAgents.Benchmarks.Latency;

/// <summary>
/// How fast a parked consumer wakes: the producer stays quiet for a gap long enough that the consumer has
/// given up spinning and is asleep, then publishes one event stamped with the time; the consumer records
/// how long after the publish it ran. Our spin-then-park strategy (futex) against the lock-and-pulse
/// blocking strategy, at several gaps, in the same run.
/// </summary>
/// <remarks>
/// The wake time includes the operating system bringing an idle CPU back: on a virtual machine an idle
/// virtual CPU is halted by the hypervisor, and the longer it has been idle the longer that takes. The
/// gap is therefore reported with every row.
/// </remarks>
internal static class WakeHarness
{
    public static int Run(bool quick)
    {
        int wakes = quick ? 1_000 : 5_000;
        double[] gapsUs = [200, 1000];
        var rows = new List<(string, LogLinearHistogram, double)>();
        foreach (double gap in gapsUs)
        {
            for (int round = 0; round < 2; round++)
            {
                // Alternate which strategy goes first, so neither always runs on a machine that just warmed up.
                bool parkFirst = round == 0;
                var park = new WakeProbe<SpinThenParkWait>(new SpinThenParkWait());
                var block = new WakeProbe<BlockingWait>(new BlockingWait());
                if (parkFirst)
                {
                    park.Run(wakes / 2, gap);
                    block.Run(wakes / 2, gap);
                }
                else
                {
                    block.Run(wakes / 2, gap);
                    park.Run(wakes / 2, gap);
                }

                string label = string.Create(CultureInfo.InvariantCulture, $"gap {gap}us");
                Merge(rows, $"spin-then-park (futex), {label}", park.Histogram, park.AllocatedPerWake);
                Merge(rows, $"blocking (lock+pulse), {label}", block.Histogram, block.AllocatedPerWake);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: spin-then-park consumer was parked before {park.ParkedBeforePublish} of {park.Published} publishes"));
            }
        }

        LatencyTable.Print("parked consumer wake latency: publish to handler, microseconds", rows);
        return 0;
    }

    private static void Merge(List<(string Name, LogLinearHistogram Histogram, double Alloc)> rows, string name, LogLinearHistogram h, double alloc)
    {
        int i = rows.FindIndex(r => r.Name == name);
        if (i < 0)
        {
            rows.Add((name, h, alloc));
        }
        else
        {
            rows[i].Histogram.Add(h);
            rows[i] = (name, rows[i].Histogram, Math.Max(rows[i].Alloc, alloc));
        }
    }

    private sealed class WakeProbe<TWait> where TWait : struct, IWaitStrategy
    {
        private readonly SingleProducerSequencer<TWait> _sequencer;
        private readonly RingBuffer<LongEvent> _ring;
        private readonly BatchConsumer<LongEvent, RecordingHandler, TWait> _consumer;
        private readonly TWait _wait;

        public WakeProbe(TWait wait)
        {
            _wait = wait;
            _sequencer = new SingleProducerSequencer<TWait>(64, wait);
            _ring = new RingBuffer<LongEvent>(64);
            _consumer = new BatchConsumer<LongEvent, RecordingHandler, TWait>(_ring, _sequencer.NewBarrier(), new RecordingHandler(new LogLinearHistogram()));
            _sequencer.AddGatingSequences(_consumer.Sequence);
        }

        public LogLinearHistogram Histogram => _consumer.Handler.Histogram;

        public int ParkedBeforePublish { get; private set; }

        public int Published { get; private set; }

        public double AllocatedPerWake { get; private set; }

        public void Run(int wakes, double gapUs)
        {
            Thread thread = _consumer.Start("wake probe");
            long gapTicks = StopwatchTicks.FromTimeSpan(TimeSpan.FromMicroseconds(gapUs));
            long allocatedBefore = 0;
            for (int i = 0; i < wakes + 100; i++)
            {
                if (i == 100)
                {
                    _consumer.Handler.Histogram.Reset();
                    allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                }

                Quiet(gapTicks);
                if (i >= 100)
                {
                    Published++;
                    if (_wait is SpinThenParkWait park && park.ParkedCount > 0)
                    {
                        ParkedBeforePublish++;
                    }
                }

                long s = _sequencer.Next();
                _ring[s].Value = Stopwatch.GetTimestamp();
                _sequencer.Publish(s);
                var spinner = new SpinWait();
                while (_consumer.Sequence.Value < s)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }

            AllocatedPerWake = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)wakes;
            _consumer.Halt();
            thread.Join();
        }

        private static void Quiet(long gapTicks)
        {
            // Long gaps sleep (both CPUs may go idle, as in a quiet service); short ones are timed exactly.
            if (gapTicks >= StopwatchTicks.FromTimeSpan(TimeSpan.FromMicroseconds(1000)))
            {
                Thread.Sleep(1);
                return;
            }

            long until = Stopwatch.GetTimestamp() + gapTicks;
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.Yield();
            }
        }
    }

    private struct RecordingHandler : IEventHandler<LongEvent>
    {
        public RecordingHandler(LogLinearHistogram histogram) => Histogram = histogram;

        public LogLinearHistogram Histogram { get; }

        public readonly void OnEvent(ref LongEvent data, long sequence, bool endOfBatch) =>
            Histogram.Record(StopwatchTicks.ToNanoseconds(Stopwatch.GetTimestamp() - data.Value));
    }
}
