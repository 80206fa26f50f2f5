using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using FastAgents.Rings;

namespace FastAgents.Benchmarks.Rings;

/// <summary>
/// One producer, one consumer: events per second through our ring (one claim per event, and claims of
/// <see cref="Batch"/> events) against System.Threading.Channels, bounded and unbounded, in the same run.
/// Each invocation moves <see cref="Events"/> longs and waits until the consumer has read them all.
/// </summary>
public class RingThroughputBenchmarks
{
    public const int Events = 1 << 22;
    public const int RingSize = 1 << 16;
    public const int Batch = 64;

    private SingleProducerSequencer<SpinThenParkWait> _sequencer = null!;
    private RingBuffer<LongEvent> _ring = null!;
    private BatchConsumer<LongEvent, SumHandler, SpinThenParkWait> _consumer = null!;
    private Channel<long> _channel = null!;
    private ChannelConsumer _channelConsumer = null!;
    private long _published;

    [GlobalSetup(Targets = [nameof(RingOneAtATime), nameof(RingBatched)])]
    public void SetupRing()
    {
        _sequencer = new SingleProducerSequencer<SpinThenParkWait>(RingSize, new SpinThenParkWait());
        _ring = new RingBuffer<LongEvent>(RingSize);
        _consumer = new BatchConsumer<LongEvent, SumHandler, SpinThenParkWait>(_ring, _sequencer.NewBarrier(), default);
        _sequencer.AddGatingSequences(_consumer.Sequence);
        _consumer.Start("ring consumer");
        _published = 0;
    }

    [GlobalCleanup(Targets = [nameof(RingOneAtATime), nameof(RingBatched)])]
    public void CleanupRing() => _consumer.Halt();

    [GlobalSetup(Target = nameof(ChannelBounded))]
    public void SetupBounded() => SetupChannel(Channel.CreateBounded<long>(new BoundedChannelOptions(RingSize)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    }));

    [GlobalSetup(Target = nameof(ChannelUnbounded))]
    public void SetupUnbounded() => SetupChannel(Channel.CreateUnbounded<long>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = true,
    }));

    [GlobalCleanup(Targets = [nameof(ChannelBounded), nameof(ChannelUnbounded)])]
    public void CleanupChannel() => _channel.Writer.TryComplete();

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task ChannelBounded()
    {
        ChannelWriter<long> writer = _channel.Writer;
        for (long i = 0; i < Events; i++)
        {
            if (!writer.TryWrite(i))
            {
                await writer.WriteAsync(i).ConfigureAwait(false);
            }
        }

        _published += Events;
        _channelConsumer.WaitFor(_published);
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void ChannelUnbounded()
    {
        ChannelWriter<long> writer = _channel.Writer;
        for (long i = 0; i < Events; i++)
        {
            writer.TryWrite(i);
        }

        _published += Events;
        _channelConsumer.WaitFor(_published);
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void RingOneAtATime()
    {
        SingleProducerSequencer<SpinThenParkWait> sequencer = _sequencer;
        RingBuffer<LongEvent> ring = _ring;
        long last = 0;
        for (long i = 0; i < Events; i++)
        {
            last = sequencer.Next();
            ring[last].Value = i;
            sequencer.Publish(last);
        }

        WaitForConsumer(last);
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void RingBatched()
    {
        SingleProducerSequencer<SpinThenParkWait> sequencer = _sequencer;
        RingBuffer<LongEvent> ring = _ring;
        long hi = 0;
        for (long i = 0; i < Events; i += Batch)
        {
            hi = sequencer.Next(Batch);
            long lo = hi - Batch + 1;
            for (long s = lo; s <= hi; s++)
            {
                ring[s].Value = s;
            }

            sequencer.Publish(lo, hi);
        }

        WaitForConsumer(hi);
    }

    private void SetupChannel(Channel<long> channel)
    {
        _channel = channel;
        _channelConsumer = new ChannelConsumer(channel.Reader);
        _published = 0;
    }

    private void WaitForConsumer(long sequence)
    {
        var spinner = new SpinWait();
        while (_consumer.Sequence.Value < sequence)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
