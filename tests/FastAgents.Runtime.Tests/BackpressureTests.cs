using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class BackpressureTests
{
    private const int Capacity = 64;
    private static readonly AgentType s_receiver = AgentType.Register("backpressure-receiver");
    private static readonly AgentType s_flooder = AgentType.Register("backpressure-flooder");

    [Fact]
    public async Task FullInbox_TryTellReturnsFull_FailFastThrows_AndTheQueuedOnesAreHandled()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default() with { LaneCapacity = Capacity });
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_receiver, 0, () => new RecorderAgent(probe), new AgentOptions { Worker = 0 });
        int sent = 0;
        runtime.Tell(id, new Hold(0));
        probe.Gate.WaitEntered();
        try
        {
            SendStatus status;
            while ((status = runtime.TryTell(id, new Num(sent))) == SendStatus.Sent && sent <= 2 * Capacity)
            {
                sent++;
            }

            Assert.Equal(SendStatus.Full, status);
            Assert.InRange(sent, 1, Capacity - 1);
            InboxFullException error = Assert.Throws<InboxFullException>(() => runtime.Tell(id, new Num(-1), backpressure: Backpressure.FailFast));
            Assert.Equal(id, error.Target);

            // Other lanes of the same inbox are separate.
            Assert.Equal(SendStatus.Sent, runtime.TryTell(id, new Num(sent), Priority.High));
            sent++;
        }
        finally
        {
            probe.Gate.Release();
        }

        probe.WaitForCount(sent, "every message that was accepted");
        Assert.DoesNotContain(probe.Snapshot(), s => s.Value < 0);
        Assert.Equal(0, runtime.DeadLetters.Count);
    }

    [Fact]
    public async Task FullInbox_WaitWithShortSendTimeout_ThrowsAfterWaiting()
    {
        TimeSpan timeout = TimeSpan.FromMilliseconds(100);
        await using var runtime = new AgentRuntime(TestOptions.Default() with { LaneCapacity = Capacity, SendTimeout = timeout });
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_receiver, 1, () => new RecorderAgent(probe), new AgentOptions { Worker = 0, Backpressure = Backpressure.Wait });
        runtime.Tell(id, new Hold(0));
        probe.Gate.WaitEntered();
        try
        {
            Fill(runtime, id);
            var watch = Stopwatch.StartNew();
            Assert.Throws<InboxFullException>(() => runtime.Tell(id, new Num(-1)));
            watch.Stop();

            // Only a lower bound: the send waited out its timeout before giving up.
            Assert.True(watch.Elapsed >= timeout - TimeSpan.FromMilliseconds(5), $"gave up after {watch.Elapsed.TotalMilliseconds} ms");
        }
        finally
        {
            probe.Gate.Release();
        }
    }

    [Fact]
    public async Task FullInbox_Wait_SucceedsWhenTheReceiverIsReleasedDuringTheWait()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default() with { LaneCapacity = Capacity });
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_receiver, 2, () => new RecorderAgent(probe), new AgentOptions { Worker = 0 });
        int filled;
        Task<SendStatus> waiting;
        runtime.Tell(id, new Hold(0));
        probe.Gate.WaitEntered();
        try
        {
            filled = Fill(runtime, id);
            waiting = Task.Factory.StartNew(() => runtime.Tell(id, new Num(-7)), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Thread.Sleep(100);
            Assert.False(waiting.IsCompleted, "the send must wait while the inbox is full");
        }
        finally
        {
            probe.Gate.Release();
        }

        Assert.Equal(SendStatus.Sent, await Eventually.Within(new ValueTask<SendStatus>(waiting), "the waiting send"));
        probe.WaitForCount(filled + 1, "every message");
        Assert.Equal(-7, probe.Snapshot()[^1].Value);
    }

    [Fact]
    public async Task FullInbox_FromAnAgentOnTheSameWorker_FailsAtOnceInsteadOfWaitingOnItself()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default() with { LaneCapacity = Capacity });
        using var probe = new Probe();
        AgentId receiver = runtime.Spawn(s_receiver, 3, () => new RecorderAgent(probe), new AgentOptions { Worker = 0, Backpressure = Backpressure.Wait });
        var outcome = new ConcurrentQueue<(int Sent, Exception? Error)>();
        AgentId flooder = runtime.Spawn(s_flooder, 0, () => new FloodingAgent(receiver, 2 * Capacity, outcome), new AgentOptions { Worker = 0 });

        runtime.Tell(flooder, new Go(0));
        Eventually.True(() => !outcome.IsEmpty, "the flooder to finish");

        Assert.True(outcome.TryDequeue(out (int Sent, Exception? Error) result));
        Assert.IsType<InboxFullException>(result.Error);
        Assert.Equal(Capacity, result.Sent);
        probe.WaitForCount(Capacity, "the messages that fitted");
    }

    /// <summary>Fills the Normal outside lane of <paramref name="id"/>'s worker; returns how many were sent.</summary>
    private static int Fill(AgentRuntime runtime, AgentId id)
    {
        int sent = 0;
        while (runtime.TryTell(id, new Num(sent)) == SendStatus.Sent)
        {
            sent++;
            Assert.True(sent < 2 * Capacity, "the lane never filled");
        }

        return sent;
    }

    /// <summary>Sends <paramref name="count"/> messages in one call to an agent on its own worker, which cannot drain meanwhile.</summary>
    internal sealed class FloodingAgent(AgentId target, int count, ConcurrentQueue<(int Sent, Exception? Error)> outcome) : Agent, IHandle<Go>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Go>(this);

        public void Handle(in Go message, AgentContext context)
        {
            int sent = 0;
            try
            {
                for (; sent < count; sent++)
                {
                    context.Tell(target, new Num(sent));
                }

                outcome.Enqueue((sent, null));
            }
            catch (InboxFullException ex)
            {
                outcome.Enqueue((sent, ex));
            }
        }
    }
}
