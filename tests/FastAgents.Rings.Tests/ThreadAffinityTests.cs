using Xunit;

namespace FastAgents.Rings.Tests;

public sealed class ThreadAffinityTests
{
    [Fact]
    public void TryPinCurrentThread_OnLinux_KeepsTheThreadOnThatCpu()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(ThreadAffinity.TryPinCurrentThread(0));
            return;
        }

        int cpu = Environment.ProcessorCount - 1;
        var seen = new HashSet<int>();
        var thread = new Thread(() =>
        {
            Assert.True(ThreadAffinity.TryPinCurrentThread(cpu));
            for (int i = 0; i < 200; i++)
            {
                Thread.Yield();
                seen.Add(Thread.GetCurrentProcessorId());
            }

            Assert.True(ThreadAffinity.TryUnpinCurrentThread());
        });
        thread.Start();
        Bounded.Join(thread, "pinned thread");

        Assert.Equal([cpu], seen);
    }

    [Fact]
    public void TryPinCurrentThread_CpuOutOfRange_ReturnsFalse()
    {
        Assert.False(ThreadAffinity.TryPinCurrentThread(-1));
        Assert.False(ThreadAffinity.TryPinCurrentThread(1 << 20));
    }

    [Fact]
    public void BatchConsumerStart_WithCpu_RunsTheHandlerOnThatCpu()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int cpu = Environment.ProcessorCount - 1;
        var sequencer = new SingleProducerSequencer<SpinThenParkWait>(64);
        var ring = new RingBuffer<TestEvent>(64);
        var consumer = new BatchConsumer<TestEvent, CpuRecordingHandler, SpinThenParkWait>(ring, sequencer.NewBarrier(), new CpuRecordingHandler(new HashSet<int>()));
        sequencer.AddGatingSequences(consumer.Sequence);
        Thread thread = consumer.Start("pinned consumer", cpu);

        for (int i = 0; i < 100; i++)
        {
            long s = sequencer.Next();
            sequencer.Publish(s);
            if (i % 10 == 0)
            {
                Thread.Sleep(1); // let the consumer park and be woken, where the scheduler could move it
            }
        }

        consumer.HaltWhenDrained();
        Bounded.Join(thread, "drain");
        Assert.Null(consumer.Fault);
        Assert.Equal([cpu], consumer.Handler.Cpus);
    }

    public readonly struct CpuRecordingHandler : IEventHandler<TestEvent>
    {
        public CpuRecordingHandler(HashSet<int> cpus) => Cpus = cpus;

        public HashSet<int> Cpus { get; }

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch) => Cpus.Add(Thread.GetCurrentProcessorId());
    }
}
