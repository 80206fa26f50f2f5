using Xunit;

namespace FastAgents.Rings.Tests;

/// <summary>
/// The suite every wait strategy runs: loss, duplication and reordering under stress, slow consumers,
/// halting and draining, dependency graphs, wake-ups after idle spells, and allocation in steady state.
/// Each test bounds its own time; none asserts on how long anything took.
/// </summary>
public abstract class RingSuite<TWait> where TWait : struct, IWaitStrategy
{
    private const long TenMillion = 10_000_000;

    protected abstract TWait CreateWaitStrategy();

    [Fact]
    public void SingleProducer_TenMillionEvents_EachSeenOnceInOrder()
    {
        var sequencer = new SingleProducerSequencer<TWait>(4096, CreateWaitStrategy());
        var ring = new RingBuffer<TestEvent>(sequencer.BufferSize);
        var consumer = new BatchConsumer<TestEvent, PerProducerOrderHandler, TWait>(ring, sequencer.NewBarrier(), new PerProducerOrderHandler(1));
        sequencer.AddGatingSequences(consumer.Sequence);
        Thread consumerThread = consumer.Start();

        var faults = new List<Exception>();
        Thread producer = Bounded.Start("producer", () => PublishMixedBatches(sequencer, ring, 0, TenMillion, seed: 1), faults);
        JoinWatching(producer, () => consumer.Fault);
        consumer.HaltWhenDrained();
        Bounded.Join(consumerThread, "consumer drain");

        Bounded.NoFaults(faults);
        Assert.Null(consumer.Fault);
        Assert.Equal(TenMillion, consumer.Handler.Count);
        Assert.Equal(TenMillion - 1, consumer.Sequence.Value);
        Assert.True(TenMillion / sequencer.BufferSize > 1000, "the ring must wrap many times");
    }

    [Fact]
    public void FourProducers_TenMillionEvents_EachSeenOnceInPerProducerOrder()
    {
        const int Producers = 4;
        const long PerProducer = TenMillion / Producers;
        var sequencer = new MultiProducerSequencer<TWait>(4096, CreateWaitStrategy());
        var ring = new RingBuffer<TestEvent>(sequencer.BufferSize);
        var consumer = new BatchConsumer<TestEvent, PerProducerOrderHandler, TWait>(ring, sequencer.NewBarrier(), new PerProducerOrderHandler(Producers));
        sequencer.AddGatingSequences(consumer.Sequence);
        Thread consumerThread = consumer.Start();

        var faults = new List<Exception>();
        var threads = new Thread[Producers];
        for (int p = 0; p < Producers; p++)
        {
            int id = p;
            threads[p] = Bounded.Start($"producer {id}", () =>
            {
                // Each producer claims differently: one at a time, in batches, and without waiting.
                switch (id)
                {
                    case 0:
                        PublishOneAtATime(sequencer, ring, id, PerProducer);
                        break;
                    case 3:
                        PublishWithTryNext(sequencer, ring, id, PerProducer);
                        break;
                    default:
                        PublishMixedBatches(sequencer, ring, id, PerProducer, seed: id);
                        break;
                }
            }, faults);
        }

        foreach (Thread t in threads)
        {
            JoinWatching(t, () => consumer.Fault);
        }

        consumer.HaltWhenDrained();
        Bounded.Join(consumerThread, "consumer drain");

        Bounded.NoFaults(faults);
        Assert.Null(consumer.Fault);
        Assert.Equal(TenMillion, consumer.Handler.Count);
        for (int p = 0; p < Producers; p++)
        {
            Assert.Equal(PerProducer, consumer.Handler.NextExpected(p));
        }
    }

    [Fact]
    public void SlowConsumer_FastProducers_NoEventLost()
    {
        const long PerProducer = 50_000;
        var sequencer = new MultiProducerSequencer<TWait>(8, CreateWaitStrategy());
        var ring = new RingBuffer<TestEvent>(sequencer.BufferSize);
        var consumer = new BatchConsumer<TestEvent, SlowOrderHandler, TWait>(ring, sequencer.NewBarrier(), new SlowOrderHandler(2, spinPerEvent: 20));
        sequencer.AddGatingSequences(consumer.Sequence);
        Thread consumerThread = consumer.Start();

        var faults = new List<Exception>();
        Thread p0 = Bounded.Start("fast producer 0", () => PublishOneAtATime(sequencer, ring, 0, PerProducer), faults);
        Thread p1 = Bounded.Start("fast producer 1", () => PublishMixedBatches(sequencer, ring, 1, PerProducer, seed: 7), faults);
        JoinWatching(p0, () => consumer.Fault);
        JoinWatching(p1, () => consumer.Fault);
        consumer.HaltWhenDrained();
        Bounded.Join(consumerThread, "consumer drain");

        Bounded.NoFaults(faults);
        Assert.Null(consumer.Fault);
        Assert.Equal(2 * PerProducer, consumer.Handler.Order.Count);
    }

    [Fact]
    public void Halt_MidStream_ThenDrain_EveryEventSeenOnce()
    {
        const long Total = 2_000_000;
        var sequencer = new SingleProducerSequencer<TWait>(1024, CreateWaitStrategy());
        var ring = new RingBuffer<TestEvent>(sequencer.BufferSize);
        var consumer = new BatchConsumer<TestEvent, PerProducerOrderHandler, TWait>(ring, sequencer.NewBarrier(), new PerProducerOrderHandler(1));
        sequencer.AddGatingSequences(consumer.Sequence);
        Thread consumerThread = consumer.Start();

        var faults = new List<Exception>();
        Thread producer = Bounded.Start("producer", () => PublishMixedBatches(sequencer, ring, 0, Total, seed: 3), faults);
        Bounded.WaitUntil(() => consumer.Sequence.Value >= 100_000 || consumer.Fault is not null, "consumer progress");

        consumer.Halt();
        Bounded.Join(consumerThread, "halt");
        Assert.False(consumer.IsRunning);
        long atHalt = consumer.Sequence.Value;
        Assert.True(atHalt < Total - 1, "the halt must land mid-stream (the ring holds far fewer events than the stream)");
        Assert.Equal(atHalt + 1, consumer.Handler.Count);

        // The producer fills the ring up to the halted consumer (within one batch claim) and stops there:
        // it cannot lap it.
        Bounded.WaitUntil(() => sequencer.Cursor.Value - atHalt > sequencer.BufferSize - 32, "producer filling the ring");
        Thread.Sleep(20);
        Assert.True(sequencer.Cursor.Value - atHalt <= sequencer.BufferSize);
        Assert.True(producer.IsAlive, "the producer must be waiting for the halted consumer");
        Assert.Equal(atHalt, consumer.Sequence.Value);

        consumerThread = consumer.Start();
        JoinWatching(producer, () => consumer.Fault);
        consumer.HaltWhenDrained();
        Bounded.Join(consumerThread, "drain");

        Bounded.NoFaults(faults);
        Assert.Null(consumer.Fault);
        Assert.Equal(Total, consumer.Handler.Count);
        Assert.Equal(Total - 1, consumer.Sequence.Value);
    }

    [Fact]
    public void DependencyGraph_SecondConsumerRunsAfterFirst_NeverOvertakes()
    {
        const long Total = 1_000_000;
        var sequencer = new MultiProducerSequencer<TWait>(256, CreateWaitStrategy());
        var ring = new RingBuffer<TestEvent>(sequencer.BufferSize);
        var first = new BatchConsumer<TestEvent, StampingHandler, TWait>(ring, sequencer.NewBarrier(), new StampingHandler(workPerEvent: 5));
        var second = new BatchConsumer<TestEvent, AfterStampHandler, TWait>(ring, sequencer.NewBarrier(first.Sequence), new AfterStampHandler(2));
        sequencer.AddGatingSequences(second.Sequence);
        Thread firstThread = first.Start("first");
        Thread secondThread = second.Start("second");

        var faults = new List<Exception>();
        Thread p0 = Bounded.Start("producer 0", () => PublishMixedBatches(sequencer, ring, 0, Total / 2, seed: 11), faults);
        Thread p1 = Bounded.Start("producer 1", () => PublishOneAtATime(sequencer, ring, 1, Total / 2), faults);
        JoinWatching(p0, () => first.Fault ?? second.Fault);
        JoinWatching(p1, () => first.Fault ?? second.Fault);
        first.HaltWhenDrained();
        Bounded.Join(firstThread, "first drain");
        second.HaltWhenDrained();
        Bounded.Join(secondThread, "second drain");

        Bounded.NoFaults(faults);
        Assert.Null(first.Fault);
        Assert.Null(second.Fault);
        Assert.Equal(Total, first.Handler.Count);
        Assert.Equal(Total, second.Handler.Count);
    }

    [Fact]
    public void IdleConsumer_WakesOnEachPublishAfterAPause()
    {
        var sequencer = new SingleProducerSequencer<TWait>(64, CreateWaitStrategy());
        var ring = new RingBuffer<TestEvent>(sequencer.BufferSize);
        var consumer = new BatchConsumer<TestEvent, PerProducerOrderHandler, TWait>(ring, sequencer.NewBarrier(), new PerProducerOrderHandler(1));
        sequencer.AddGatingSequences(consumer.Sequence);
        Thread consumerThread = consumer.Start();

        for (int i = 0; i < 20; i++)
        {
            // Long enough for every strategy to reach its deepest wait (park, sleep, monitor).
            Thread.Sleep(15);
            long s = sequencer.Next();
            ring[s].Value = PerProducerOrderHandler.Encode(0, i);
            sequencer.Publish(s);
            Bounded.WaitUntil(() => consumer.Sequence.Value >= s || consumer.Fault is not null, $"wake-up {i}");
        }

        consumer.Halt();
        Bounded.Join(consumerThread, "halt");
        Assert.Null(consumer.Fault);
        Assert.Equal(20, consumer.Handler.Count);
    }

    [Fact]
    public void HaltWhileIdle_ReturnsPromptlyFromTheDeepestWait()
    {
        var sequencer = new MultiProducerSequencer<TWait>(64, CreateWaitStrategy());
        var ring = new RingBuffer<TestEvent>(sequencer.BufferSize);
        var consumer = new BatchConsumer<TestEvent, PerProducerOrderHandler, TWait>(ring, sequencer.NewBarrier(), new PerProducerOrderHandler(1));
        sequencer.AddGatingSequences(consumer.Sequence);
        Thread consumerThread = consumer.Start();
        Thread.Sleep(20);

        consumer.Halt();

        Bounded.Join(consumerThread, "halt of an idle consumer");
        Assert.False(consumer.IsRunning);
        Assert.Equal(0, consumer.Handler.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SteadyState_AllocatesNothingPerEvent(bool multiProducer)
    {
        const long Warmup = 200_000;
        const long Measured = 1_000_000;
        Sequencer<TWait> sequencer = multiProducer
            ? new MultiProducerSequencer<TWait>(1024, CreateWaitStrategy())
            : new SingleProducerSequencer<TWait>(1024, CreateWaitStrategy());
        var ring = new RingBuffer<TestEvent>(sequencer.BufferSize);
        var consumer = new BatchConsumer<TestEvent, AllocationProbeHandler, TWait>(ring, sequencer.NewBarrier(), new AllocationProbeHandler(Warmup, Warmup + Measured));
        sequencer.AddGatingSequences(consumer.Sequence);
        Thread consumerThread = consumer.Start();

        long producerBefore = 0;
        long producerAfter = 0;
        for (long i = 0; i <= Warmup + Measured; i++)
        {
            if (i == Warmup)
            {
                producerBefore = GC.GetAllocatedBytesForCurrentThread();
            }

            long s = (i & 1) == 0 ? sequencer.Next() : sequencer.Next(1);
            ring[s].Value = i;
            sequencer.Publish(s);
        }

        producerAfter = GC.GetAllocatedBytesForCurrentThread();
        consumer.HaltWhenDrained();
        Bounded.Join(consumerThread, "drain");

        Assert.Null(consumer.Fault);
        Assert.Equal(0, producerAfter - producerBefore);
        Assert.Equal(0, consumer.Handler.BytesAtStop - consumer.Handler.BytesAtStart);
        Assert.Equal((Warmup + Measured) * (Warmup + Measured + 1) / 2, consumer.Handler.Sum);
    }

    private static void PublishOneAtATime(Sequencer<TWait> sequencer, RingBuffer<TestEvent> ring, int producer, long count)
    {
        for (long c = 0; c < count; c++)
        {
            long s = sequencer.Next();
            ring[s].Value = PerProducerOrderHandler.Encode(producer, c);
            sequencer.Publish(s);
        }
    }

    private static void PublishMixedBatches(Sequencer<TWait> sequencer, RingBuffer<TestEvent> ring, int producer, long count, int seed)
    {
        var random = new Random(seed);
        long c = 0;
        while (c < count)
        {
            int n = (int)Math.Min(Math.Min(random.Next(1, 33), sequencer.BufferSize), count - c);
            long hi = sequencer.Next(n);
            long lo = hi - n + 1;
            for (long s = lo; s <= hi; s++)
            {
                ring[s].Value = PerProducerOrderHandler.Encode(producer, c++);
            }

            sequencer.Publish(lo, hi);
        }
    }

    private static void PublishWithTryNext(Sequencer<TWait> sequencer, RingBuffer<TestEvent> ring, int producer, long count)
    {
        long c = 0;
        while (c < count)
        {
            int n = (int)Math.Min(1 + (c % 8), count - c);
            if (!sequencer.TryNext(n, out long hi))
            {
                Thread.Yield();
                continue;
            }

            for (long s = hi - n + 1; s <= hi; s++)
            {
                ring[s].Value = PerProducerOrderHandler.Encode(producer, c++);
            }

            sequencer.Publish(hi - n + 1, hi);
        }
    }

    /// <summary>Joins a producer within the bound, failing at once if a consumer faulted meanwhile.</summary>
    private static void JoinWatching(Thread producer, Func<Exception?> consumerFault)
    {
        var deadline = DateTime.UtcNow + Bounded.Limit;
        while (!producer.Join(50))
        {
            if (consumerFault() is { } fault)
            {
                throw new InvalidOperationException("A consumer failed while producers were running.", fault);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Producer '{producer.Name}' did not finish within {Bounded.Limit.TotalMinutes} minutes.");
            }
        }
    }
}

/// <summary>Order checking plus a little work per event: a consumer slower than its producers.</summary>
public struct SlowOrderHandler : IEventHandler<TestEvent>
{
    private readonly int _spinPerEvent;
    private PerProducerOrderHandler _order;

    public SlowOrderHandler(int producers, int spinPerEvent)
    {
        _order = new PerProducerOrderHandler(producers);
        _spinPerEvent = spinPerEvent;
    }

    public readonly PerProducerOrderHandler Order => _order;

    public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
    {
        Thread.SpinWait(_spinPerEvent);
        _order.OnEvent(ref data, sequence, endOfBatch);
    }
}

public sealed class BusySpinWaitRingTests : RingSuite<BusySpinWait>
{
    protected override BusySpinWait CreateWaitStrategy() => default;
}

public sealed class YieldingWaitRingTests : RingSuite<YieldingWait>
{
    protected override YieldingWait CreateWaitStrategy() => default;
}

public sealed class SleepingWaitRingTests : RingSuite<SleepingWait>
{
    protected override SleepingWait CreateWaitStrategy() => default;
}

public sealed class BlockingWaitRingTests : RingSuite<BlockingWait>
{
    protected override BlockingWait CreateWaitStrategy() => new();
}

public sealed class SpinThenParkWaitRingTests : RingSuite<SpinThenParkWait>
{
    protected override SpinThenParkWait CreateWaitStrategy() => new();
}

/// <summary>The default strategy with no spin or yield budget: every wait parks, so every publish may have to wake.</summary>
public sealed class ParkImmediatelyRingTests : RingSuite<SpinThenParkWait>
{
    protected override SpinThenParkWait CreateWaitStrategy() => new(TimeSpan.Zero, TimeSpan.Zero);
}
