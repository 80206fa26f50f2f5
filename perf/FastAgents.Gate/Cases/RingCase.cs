using FastAgents.Gate.Comparison;
using FastAgents.Rings;

namespace FastAgents.Gate.Cases;

/// <summary>
/// <c>ring.1p1c.batched</c>: longs per second from one producer to one consumer thread, through our single-producer
/// ring claimed in batches of 64, against a <see cref="Queue{T}"/> filled and emptied 64 at a time on one thread.
/// </summary>
/// <remarks>
/// The peer normalises for the machine's speed, so it must not swing on its own. A cross-thread peer does: an
/// unbounded single-reader Channel drained by a reader task ran anywhere from 8 to 37 M/s between processes on the
/// same machine (how often producer and consumer fought over the same cache lines, and where the thread pool ran the
/// reader), which moved the ratio 3x with no change to our ring. The single-threaded queue does the same per-item
/// work (store, load, sum) with no contention and stays within a few percent; the comparison of our ring with
/// Channels across threads lives in perf/FastAgents.Benchmarks.
/// </remarks>
internal sealed class RingCase : GateCase
{
    public const string Name = "ring.1p1c.batched";

    private const int Events = 1 << 23;
    private const int RingSize = 1 << 16;
    private const int Batch = 64;

    public override string Title => Name;

    public override double SlowdownNanoseconds => 20;

    protected override IReadOnlyList<CaseMeasurement> Run<TCost>(int rounds)
    {
        var sequencer = new SingleProducerSequencer<SpinThenParkWait>(RingSize, new SpinThenParkWait());
        var ring = new RingBuffer<Slot>(RingSize);
        var consumer = new BatchConsumer<Slot, SumHandler, SpinThenParkWait>(ring, sequencer.NewBarrier(), default);
        sequencer.AddGatingSequences(consumer.Sequence);
        consumer.Start("gate ring consumer");
        var queue = new Queue<long>(Batch);
        try
        {
            long published = -1;
            long sum = 0;
            for (int warm = 0; warm < 3; warm++)
            {
                published = Ours<TCost>(sequencer, ring, consumer, published);
                sum += Peer(queue);
            }

            return
            [
                RateRounds(
                    Name,
                    rounds,
                    Events,
                    () => published = Ours<TCost>(sequencer, ring, consumer, published),
                    () => sum += Peer(queue),
                    wholeProcess: true),
            ];
        }
        finally
        {
            consumer.Halt();
        }
    }

    /// <summary>Publishes <see cref="Events"/> in claims of <see cref="Batch"/> and waits until the consumer has them all.</summary>
    private static long Ours<TCost>(SingleProducerSequencer<SpinThenParkWait> sequencer, RingBuffer<Slot> ring, BatchConsumer<Slot, SumHandler, SpinThenParkWait> consumer, long published)
        where TCost : struct, IOpCost
    {
        long hi = published;
        for (int i = 0; i < Events; i += Batch)
        {
            hi = sequencer.Next(Batch);
            long lo = hi - Batch + 1;
            for (long s = lo; s <= hi; s++)
            {
                ring[s].Value = s;
                TCost.Pay();
            }

            sequencer.Publish(lo, hi);
        }

        var spinner = default(SpinWait);
        while (consumer.Sequence.Value < hi)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return hi;
    }

    /// <summary>Moves <see cref="Events"/> longs through the queue, 64 in and 64 out at a time, and returns their sum.</summary>
    private static long Peer(Queue<long> queue)
    {
        long sum = 0;
        for (long i = 0; i < Events; i += Batch)
        {
            for (long s = i; s < i + Batch; s++)
            {
                queue.Enqueue(s);
            }

            while (queue.TryDequeue(out long value))
            {
                sum += value;
            }
        }

        return sum;
    }

    private struct Slot
    {
        public long Value;
    }

    private struct SumHandler : IEventHandler<Slot>
    {
        public long Sum;

        public void OnEvent(ref Slot data, long sequence, bool endOfBatch) => Sum += data.Value;
    }
}
