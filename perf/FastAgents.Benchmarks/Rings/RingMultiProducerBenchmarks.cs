using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using FastAgents.Rings;

namespace FastAgents.Benchmarks.Rings;

/// <summary>
/// Two producers, one consumer: the benchmark thread and one helper thread each publish half of
/// <see cref="Events"/>, through our multi-producer ring (one claim per event, and claims of
/// <see cref="Batch"/>) and through Channels (bounded and unbounded, multi-writer), in the same run.
/// </summary>
public class RingMultiProducerBenchmarks
{
    public const int Events = 1 << 22;
    public const int RingSize = 1 << 16;
    public const int Batch = 64;

    private MultiProducerSequencer<SpinThenParkWait> _sequencer = null!;
    private RingBuffer<LongEvent> _ring = null!;
    private BatchConsumer<LongEvent, SumHandler, SpinThenParkWait> _consumer = null!;
    private Thread? _helper;
    private readonly SemaphoreSlim _go = new(0);
    private volatile bool _batched;
    private volatile bool _stop;
    private long _target;

    private Channel<long> _channel = null!;
    private ChannelConsumer _channelConsumer = null!;
    private long _published;

    [GlobalSetup(Targets = [nameof(RingOneAtATime), nameof(RingBatched)])]
    public void SetupRing()
    {
        _sequencer = new MultiProducerSequencer<SpinThenParkWait>(RingSize, new SpinThenParkWait());
        _ring = new RingBuffer<LongEvent>(RingSize);
        _consumer = new BatchConsumer<LongEvent, SumHandler, SpinThenParkWait>(_ring, _sequencer.NewBarrier(), default);
        _sequencer.AddGatingSequences(_consumer.Sequence);
        _consumer.Start("ring consumer");
        _stop = false;
        _target = -1;
        _helper = new Thread(HelperLoop) { IsBackground = true, Name = "second producer" };
        _helper.Start();
    }

    [GlobalCleanup(Targets = [nameof(RingOneAtATime), nameof(RingBatched)])]
    public void CleanupRing()
    {
        _stop = true;
        _go.Release();
        _helper?.Join();
        _consumer.Halt();
    }

    [GlobalSetup(Target = nameof(ChannelBounded))]
    public void SetupBounded() => SetupChannel(Channel.CreateBounded<long>(new BoundedChannelOptions(RingSize)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    }));

    [GlobalSetup(Target = nameof(ChannelUnbounded))]
    public void SetupUnbounded() => SetupChannel(Channel.CreateUnbounded<long>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
    }));

    [GlobalCleanup(Targets = [nameof(ChannelBounded), nameof(ChannelUnbounded)])]
    public void CleanupChannel() => _channel.Writer.TryComplete();

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public Task ChannelBounded() => RunChannelAsync();

    [Benchmark(OperationsPerInvoke = Events)]
    public Task ChannelUnbounded() => RunChannelAsync();

    [Benchmark(OperationsPerInvoke = Events)]
    public void RingOneAtATime() => RunRing(batched: false);

    [Benchmark(OperationsPerInvoke = Events)]
    public void RingBatched() => RunRing(batched: true);

    private void RunRing(bool batched)
    {
        _batched = batched;
        _target += Events;
        _go.Release();
        Produce(batched);
        var spinner = new SpinWait();
        while (_consumer.Sequence.Value < _target)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void HelperLoop()
    {
        while (true)
        {
            _go.Wait();
            if (_stop)
            {
                return;
            }

            Produce(_batched);
        }
    }

    private void Produce(bool batched)
    {
        MultiProducerSequencer<SpinThenParkWait> sequencer = _sequencer;
        RingBuffer<LongEvent> ring = _ring;
        const int Half = Events / 2;
        if (batched)
        {
            for (int i = 0; i < Half; i += Batch)
            {
                long hi = sequencer.Next(Batch);
                long lo = hi - Batch + 1;
                for (long s = lo; s <= hi; s++)
                {
                    ring[s].Value = s;
                }

                sequencer.Publish(lo, hi);
            }
        }
        else
        {
            for (int i = 0; i < Half; i++)
            {
                long s = sequencer.Next();
                ring[s].Value = i;
                sequencer.Publish(s);
            }
        }
    }

    private async Task RunChannelAsync()
    {
        Task other = Task.Run(() => ProduceChannelAsync(_channel.Writer, Events / 2));
        await ProduceChannelAsync(_channel.Writer, Events / 2).ConfigureAwait(false);
        await other.ConfigureAwait(false);
        _published += Events;
        _channelConsumer.WaitFor(_published);
    }

    private static async Task ProduceChannelAsync(ChannelWriter<long> writer, int count)
    {
        for (long i = 0; i < count; i++)
        {
            if (!writer.TryWrite(i))
            {
                await writer.WriteAsync(i).ConfigureAwait(false);
            }
        }
    }

    private void SetupChannel(Channel<long> channel)
    {
        _channel = channel;
        _channelConsumer = new ChannelConsumer(channel.Reader);
        _published = 0;
    }
}
