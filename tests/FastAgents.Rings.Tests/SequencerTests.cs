using Xunit;

namespace FastAgents.Rings.Tests;

public sealed class SequencerTests
{
    public static TheoryData<string> Kinds => new() { "single", "multi" };

    private static Sequencer<BusySpinWait> Create(string kind, int size) =>
        kind == "single" ? new SingleProducerSequencer<BusySpinWait>(size) : new MultiProducerSequencer<BusySpinWait>(size);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TryNext_RingFullOfUnconsumedEvents_ReturnsFalseWithoutClaiming(string kind)
    {
        Sequencer<BusySpinWait> sequencer = Create(kind, 8);
        var gate = new Sequence();
        sequencer.AddGatingSequences(gate);

        Assert.True(sequencer.TryNext(8, out long hi));
        Assert.Equal(7, hi);
        sequencer.Publish(0, 7);

        Assert.False(sequencer.TryNext(out _));
        Assert.False(sequencer.TryNext(3, out _));
        Assert.Equal(0, sequencer.RemainingCapacity());

        gate.SetValue(2); // the consumer released sequences 0..2
        Assert.Equal(3, sequencer.RemainingCapacity());
        Assert.False(sequencer.TryNext(4, out _));
        Assert.True(sequencer.TryNext(3, out hi));
        Assert.Equal(10, hi);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Publish_Range_MakesEverySequenceInItAvailable(string kind)
    {
        Sequencer<BusySpinWait> sequencer = Create(kind, 16);
        long hi = sequencer.Next(5);
        Assert.Equal(4, hi);
        Assert.False(sequencer.IsAvailable(0));

        sequencer.Publish(0, 4);

        for (long s = 0; s <= 4; s++)
        {
            Assert.True(sequencer.IsAvailable(s));
        }

        Assert.False(sequencer.IsAvailable(5));
        Assert.Equal(4, sequencer.GetHighestPublishedSequence(0, 4));
    }

    [Fact]
    public void MultiProducer_OutOfOrderPublish_HighestPublishedStopsAtTheGap()
    {
        var sequencer = new MultiProducerSequencer<BusySpinWait>(16);
        long a = sequencer.Next();
        long b = sequencer.Next();
        long c = sequencer.Next();

        sequencer.Publish(c);
        sequencer.Publish(a);

        Assert.Equal(a, sequencer.GetHighestPublishedSequence(0, c));
        sequencer.Publish(b);
        Assert.Equal(c, sequencer.GetHighestPublishedSequence(0, c));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(-8)]
    public void Constructor_SizeNotAPowerOfTwo_Throws(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SingleProducerSequencer<BusySpinWait>(size));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiProducerSequencer<BusySpinWait>(size));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingBuffer<long>(size));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Next_BatchLargerThanTheRingOrEmpty_Throws(string kind)
    {
        Sequencer<BusySpinWait> sequencer = Create(kind, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => sequencer.Next(9));
        Assert.Throws<ArgumentOutOfRangeException>(() => sequencer.Next(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => sequencer.TryNext(-1, out _));
    }

    [Fact]
    public void AddGatingSequence_AfterPublishing_StartsAtTheCursor()
    {
        var sequencer = new SingleProducerSequencer<BusySpinWait>(8);
        sequencer.Publish(sequencer.Next(5));
        var late = new Sequence();

        sequencer.AddGatingSequences(late);

        Assert.Equal(4, late.Value);
        Assert.True(sequencer.RemoveGatingSequence(late));
        Assert.False(sequencer.RemoveGatingSequence(late));
    }

    [Fact]
    public void RingBuffer_Index_WrapsAndReturnsTheSameSlot()
    {
        var ring = new RingBuffer<long>(4);
        ring[1] = 11;
        Assert.Equal(11, ring[5]);
        ring[6]++;
        Assert.Equal(1, ring[2]);

        var classes = new RingBuffer<object>(4, static () => new object());
        Assert.NotNull(classes[0]);
        Assert.NotSame(classes[0], classes[1]);
        Assert.Same(classes[0], classes[4]);
    }

    [Fact]
    public void BatchConsumer_RunTwiceConcurrently_Throws()
    {
        var sequencer = new SingleProducerSequencer<SpinThenParkWait>(8);
        var ring = new RingBuffer<TestEvent>(8);
        var consumer = new BatchConsumer<TestEvent, PerProducerOrderHandler, SpinThenParkWait>(ring, sequencer.NewBarrier(), new PerProducerOrderHandler(1));
        Thread thread = consumer.Start();
        Bounded.WaitUntil(() => consumer.IsRunning, "consumer start");

        Assert.Throws<InvalidOperationException>(consumer.Run);

        consumer.Halt();
        Bounded.Join(thread, "halt");
    }

    [Fact]
    public void BatchConsumer_RingOfAnotherSize_Throws()
    {
        var sequencer = new SingleProducerSequencer<BusySpinWait>(8);
        Assert.Throws<ArgumentException>(() =>
            new BatchConsumer<TestEvent, PerProducerOrderHandler, BusySpinWait>(new RingBuffer<TestEvent>(16), sequencer.NewBarrier(), new PerProducerOrderHandler(1)));
    }

    [Fact]
    public void BatchConsumer_HandlerThrows_RunEndsAndFailingEventIsNotReleased()
    {
        var sequencer = new SingleProducerSequencer<SpinThenParkWait>(8);
        var ring = new RingBuffer<TestEvent>(8);
        var consumer = new BatchConsumer<TestEvent, PerProducerOrderHandler, SpinThenParkWait>(ring, sequencer.NewBarrier(), new PerProducerOrderHandler(1));
        sequencer.AddGatingSequences(consumer.Sequence);
        long hi = sequencer.Next(3);
        ring[0].Value = PerProducerOrderHandler.Encode(0, 0);
        ring[1].Value = PerProducerOrderHandler.Encode(0, 1);
        ring[2].Value = PerProducerOrderHandler.Encode(0, 5); // a gap: the handler throws here
        sequencer.Publish(0, hi);

        Thread thread = consumer.Start();
        Bounded.Join(thread, "faulting run");

        Assert.IsType<InvalidOperationException>(consumer.Fault);
        Assert.Equal(1, consumer.Sequence.Value);
        Assert.False(consumer.IsRunning);
    }
}
