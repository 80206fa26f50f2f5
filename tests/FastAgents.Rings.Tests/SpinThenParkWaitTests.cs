using Xunit;

namespace FastAgents.Rings.Tests;

public sealed class SpinThenParkWaitTests
{
    [Fact]
    public void IdleConsumer_Parks_AndAPublishWakesIt()
    {
        var wait = new SpinThenParkWait();
        var sequencer = new SingleProducerSequencer<SpinThenParkWait>(16, wait);
        var ring = new RingBuffer<TestEvent>(16);
        var consumer = new BatchConsumer<TestEvent, PerProducerOrderHandler, SpinThenParkWait>(ring, sequencer.NewBarrier(), new PerProducerOrderHandler(1));
        sequencer.AddGatingSequences(consumer.Sequence);
        Thread thread = consumer.Start();

        for (int i = 0; i < 10; i++)
        {
            // The consumer must reach the parked state on its own (no core burnt while idle)...
            Bounded.WaitUntil(() => wait.ParkedCount == 1, $"consumer parking before event {i}");

            long s = sequencer.Next();
            ring[s].Value = PerProducerOrderHandler.Encode(0, i);
            sequencer.Publish(s);

            // ...and a single publish must wake it.
            Bounded.WaitUntil(() => consumer.Sequence.Value == s, $"wake-up for event {i}");
        }

        consumer.Halt();
        Bounded.Join(thread, "halt");
        Assert.Equal(0, wait.ParkedCount);
        Assert.Equal(10, consumer.Handler.Count);
    }

    [Fact]
    public void Constructor_NegativeBudget_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpinThenParkWait(TimeSpan.FromTicks(-1), TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpinThenParkWait(TimeSpan.Zero, TimeSpan.FromTicks(-1)));
    }
}
