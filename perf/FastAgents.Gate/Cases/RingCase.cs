using System.Threading.Channels;
using FastAgents.Gate.Comparison;
using FastAgents.Rings;

namespace FastAgents.Gate.Cases;

/// <summary>
/// <c>ring.1p1c.batched</c>: longs per second from one producer to one consumer thread, through our single-producer
/// ring claimed in batches of 64, against an unbounded single-reader, single-writer Channel drained by a reader task.
/// </summary>
internal sealed class RingCase : GateCase
{
    public const string Name = "ring.1p1c.batched";

    private const int Events = 1 << 21;
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
        var channel = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var reader = new ChannelReaderTask(channel.Reader);
        try
        {
            long published = -1;
            long written = 0;
            for (int warm = 0; warm < 3; warm++)
            {
                published = Ours<TCost>(sequencer, ring, consumer, published);
                written = Peer(channel.Writer, reader, written);
            }

            return
            [
                RateRounds(
                    Name,
                    rounds,
                    Events,
                    () => published = Ours<TCost>(sequencer, ring, consumer, published),
                    () => written = Peer(channel.Writer, reader, written),
                    wholeProcess: true),
            ];
        }
        finally
        {
            consumer.Halt();
            channel.Writer.TryComplete();
            reader.Completion.Wait();
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

    /// <summary>Writes <see cref="Events"/> longs and waits until the reader task has read them all.</summary>
    private static long Peer(ChannelWriter<long> writer, ChannelReaderTask reader, long written)
    {
        for (long i = 0; i < Events; i++)
        {
            writer.TryWrite(i);
        }

        written += Events;
        var spinner = default(SpinWait);
        while (reader.Consumed < written)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return written;
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

    /// <summary>The usual Channels consumer: wait, drain with TryRead, publish the count after each drain.</summary>
    private sealed class ChannelReaderTask
    {
        private readonly ChannelReader<long> _reader;
        private long _consumed;

        public ChannelReaderTask(ChannelReader<long> reader)
        {
            _reader = reader;
            Completion = Task.Run(ReadAsync);
        }

        public Task Completion { get; }

        public long Consumed => Volatile.Read(ref _consumed);

        private async Task ReadAsync()
        {
            long count = 0;
            long sum = 0;
            while (await _reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_reader.TryRead(out long value))
                {
                    sum += value;
                    count++;
                }

                Volatile.Write(ref _consumed, count);
            }

            GC.KeepAlive(sum);
        }
    }
}
