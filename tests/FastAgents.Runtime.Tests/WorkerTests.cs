using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Workers;
using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class WorkerTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(2);
    private static readonly AgentType s_sender = AgentType.Register("worker-test-sender");
    private static readonly AgentType s_target = AgentType.Register("worker-test-target");

    [Fact]
    public void Post_FourSendersConcurrently_EveryEnvelopeHandledOnceInPerSenderOrder()
    {
        const int Senders = 4;
        const int PerSender = 250_000;
        var worker = new Worker<OrderCheckingHandler>("order", new OrderCheckingHandler(Senders), new WorkerOptions { LaneCapacity = 1024 });
        worker.Start();

        var threads = new Thread[Senders];
        for (int p = 0; p < Senders; p++)
        {
            uint sender = (uint)p;
            threads[p] = new Thread(() =>
            {
                EnvelopeHeader header = Header(MessageKind.Tell, s_sender[sender]);
                for (long n = 0; n < PerSender; n++)
                {
                    // Alternate the waiting and the non-waiting post.
                    while (!(n % 2 == 0 ? worker.Post(1, header, n, 1) : worker.TryPost(1, header, n, 1)))
                    {
                        Thread.Yield();
                    }
                }
            });
            threads[p].Start();
        }

        foreach (Thread t in threads)
        {
            Assert.True(t.Join(s_bound), "a sender did not finish: deadlock or lost wake-up");
        }

        Assert.True(worker.Stop(s_bound), "the worker did not drain and stop");
        Assert.Equal(0, worker.Faults);
        Assert.Equal(Senders * (long)PerSender, worker.Handled);
        for (int p = 0; p < Senders; p++)
        {
            Assert.Equal(PerSender, worker.Handler.Next[p]);
        }
    }

    [Fact]
    public void Run_HighAndLowPostedBeforeStart_HighIsHandledFirst()
    {
        var worker = new Worker<RecordingHandler>("priority", new RecordingHandler(new List<long>()));
        for (long i = 0; i < 10; i++)
        {
            Assert.True(worker.TryPost(2, Header(MessageKind.Tell, AgentId.None), 1000 + i, 1));
        }

        for (long i = 0; i < 10; i++)
        {
            Assert.True(worker.TryPost(0, Header(MessageKind.Tell, AgentId.None), i, 1));
        }

        worker.Start();
        Assert.True(worker.Stop(s_bound));

        List<long> order = worker.Handler.Seen;
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => (long)i), .. Enumerable.Range(1000, 10).Select(i => (long)i)], order);
    }

    [Fact]
    public void Run_FloodOfUrgentWork_LowerLanesStillServedEveryPass()
    {
        var options = new WorkerOptions { LaneQuotas = [256, 64, 16], LaneCapacity = 4096 };
        var worker = new Worker<RecordingHandler>("starvation", new RecordingHandler(new List<long>()), options);
        for (long i = 0; i < 4000; i++)
        {
            Assert.True(worker.TryPost(0, Header(MessageKind.Tell, AgentId.None), i, 1));
        }

        for (long i = 0; i < 5; i++)
        {
            Assert.True(worker.TryPost(2, Header(MessageKind.Tell, AgentId.None), -1 - i, 1));
        }

        worker.Start();
        Assert.True(worker.Stop(s_bound));

        List<long> order = worker.Handler.Seen;
        Assert.Equal(4005, order.Count);
        int lastLow = order.FindLastIndex(v => v < 0);

        // The first pass takes 256 urgent envelopes, then serves the low lane: the low ones are not left
        // behind the 4000 urgent ones.
        Assert.Equal(256 + 4, lastLow);
        Assert.True(order.Take(256).All(v => v >= 0));
    }

    [Fact]
    public void Stop_WithWorkQueued_HandlesItAllThenRefusesPosts()
    {
        var worker = new Worker<RecordingHandler>("stop", new RecordingHandler(new List<long>()));
        worker.Start();
        for (long i = 0; i < 1000; i++)
        {
            Assert.True(worker.Post(1, Header(MessageKind.Tell, AgentId.None), i, 1));
        }

        Assert.True(worker.Stop(s_bound));

        Assert.Equal(1000, worker.Handler.Seen.Count);
        Assert.False(worker.TryPost(1, Header(MessageKind.Tell, AgentId.None), 1L, 1));
        Assert.False(worker.Post(1, Header(MessageKind.Tell, AgentId.None), 1L, 1));
        Assert.True(worker.IsStopping);
    }

    [Fact]
    public void Handle_Throws_WorkerCountsTheFaultAndGoesOn()
    {
        var worker = new Worker<ThrowingHandler>("faults", new ThrowingHandler(new List<long>()));
        worker.Start();
        for (long i = 0; i < 100; i++)
        {
            Assert.True(worker.Post(1, Header(MessageKind.Tell, AgentId.None), i, 1));
        }

        Assert.True(worker.Stop(s_bound));

        Assert.Equal(10, worker.Faults); // every tenth envelope throws
        Assert.IsType<InvalidOperationException>(worker.LastFault);
        Assert.Equal(90, worker.Handler.Seen.Count);
        Assert.Equal(100, worker.Handled);
    }

    [Fact]
    public void Post_PayloadTooLarge_ThrowsAndTheLaneKeepsFlowing()
    {
        var options = new WorkerOptions { MaxPayload = 1024, LaneCapacity = 4 };
        var worker = new Worker<RecordingHandler>("oversized", new RecordingHandler(new List<long>()), options);
        worker.Start();

        Assert.Throws<InvalidOperationException>(() => worker.Post(1, Header(MessageKind.Tell, AgentId.None), new byte[5000], 1));
        for (long i = 0; i < 20; i++)
        {
            Assert.True(worker.Post(1, Header(MessageKind.Tell, AgentId.None), i, 1));
        }

        Assert.True(worker.Stop(s_bound));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), worker.Handler.Seen);
        Assert.Equal(20, worker.Handled);
    }

    [Fact]
    public void Post_InlinePayloadsInSteadyState_AllocateNothingOnTheSender()
    {
        var worker = new Worker<OrderCheckingHandler>("alloc", new OrderCheckingHandler(1));
        worker.Start();
        EnvelopeHeader header = Header(MessageKind.Tell, s_sender[0]);
        for (long n = 0; n < 10_000; n++)
        {
            worker.Post(0, header, n, 1);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long n = 10_000; n < 210_000; n++)
        {
            worker.Post(0, header, n, 1);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(worker.Stop(s_bound));
        Assert.Equal(0, allocated);
        Assert.Equal(210_000, worker.Handler.Next[0]);
    }

    private static EnvelopeHeader Header(MessageKind kind, AgentId sender) => new()
    {
        Version = EnvelopeHeader.CurrentVersion,
        Kind = kind,
        Sender = sender,
        Target = s_target[1],
    };

    /// <summary>Each sender's payloads must be 0, 1, 2, ...: a gap is a loss, a repeat a duplicate, a step back a reordering.</summary>
    public readonly struct OrderCheckingHandler : IEnvelopeHandler
    {
        public OrderCheckingHandler(int senders) => Next = new long[senders];

        public long[] Next { get; }

        public void Handle(ref EnvelopeSlot slot)
        {
            uint sender = slot.Frame.Header.Sender.Key;
            long value = slot.ReadPayload<long>();
            if (value != Next[sender])
            {
                throw new InvalidOperationException($"Sender {sender}: got {value}, expected {Next[sender]}.");
            }

            Next[sender]++;
        }
    }

    public readonly struct RecordingHandler : IEnvelopeHandler
    {
        public RecordingHandler(List<long> seen) => Seen = seen;

        public List<long> Seen { get; }

        public void Handle(ref EnvelopeSlot slot) => Seen.Add(slot.ReadPayload<long>());
    }

    public readonly struct ThrowingHandler : IEnvelopeHandler
    {
        public ThrowingHandler(List<long> seen) => Seen = seen;

        public List<long> Seen { get; }

        public void Handle(ref EnvelopeSlot slot)
        {
            long value = slot.ReadPayload<long>();
            if (value % 10 == 0)
            {
                throw new InvalidOperationException($"Envelope {value} fails on purpose.");
            }

            Seen.Add(value);
        }
    }
}
