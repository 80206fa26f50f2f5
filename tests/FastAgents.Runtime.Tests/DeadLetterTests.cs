using System.Collections.Concurrent;
using FastAgents.Serialization;
using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class DeadLetterTests
{
    private static readonly AgentType s_agent = AgentType.Register("deadletter-agent");
    private static readonly AgentType s_deferrer = AgentType.Register("deadletter-deferrer");
    private static readonly AgentType s_sender = AgentType.Register("deadletter-sender");

    [Fact]
    public async Task DeadLetters_EveryReason_CountedKeptObservedWithPayload()
    {
        var observed = new ConcurrentQueue<DeadLetter>();
        await using var runtime = new AgentRuntime(TestOptions.Default() with { LaneCapacity = 64, OnDeadLetter = observed.Enqueue });
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_agent, 0, () => new RecorderAgent(probe), new AgentOptions { Worker = 0 });

        // No such agent: a struct and a class payload, from outside and from an agent.
        AgentId nobody = s_agent[404];
        Assert.Equal(SendStatus.NoSuchAgent, runtime.Tell(nobody, new Num(42)));
        Assert.Equal(SendStatus.NoSuchAgent, runtime.Tell(nobody, new Note { Id = 1, Text = "lost letter" }));
        AgentId sender = runtime.Spawn(s_sender, 0, () => new SendToAgent(nobody), new AgentOptions { Worker = 1 });
        runtime.Tell(sender, new Num(43));
        Eventually.True(() => runtime.DeadLetters.CountOf(DeadLetterReason.NoSuchAgent) == 3, "three NoSuchAgent letters");

        // No handler for the type.
        Assert.Equal(SendStatus.Sent, runtime.Tell(id, new Unhandled(44)));
        Eventually.True(() => runtime.DeadLetters.CountOf(DeadLetterReason.NoHandler) == 1, "a NoHandler letter");

        // Inbox full with DropAndCount.
        int dropped = 0;
        int sent = 0;
        runtime.Tell(id, new Hold(0));
        probe.Gate.WaitEntered();
        try
        {
            for (int i = 0; i < 100; i++)
            {
                SendStatus status = runtime.Tell(id, new Num(1000 + i), backpressure: Backpressure.DropAndCount);
                Assert.True(status is SendStatus.Sent or SendStatus.Dropped, status.ToString());
                dropped += status == SendStatus.Dropped ? 1 : 0;
                sent += status == SendStatus.Sent ? 1 : 0;
            }
        }
        finally
        {
            probe.Gate.Release();
        }

        Assert.True(dropped > 0, "a 64-slot lane cannot take 101 messages");
        Assert.Equal(dropped, runtime.DeadLetters.CountOf(DeadLetterReason.InboxFull));
        probe.WaitForCount(sent, "the messages that fitted");

        // Reply to an ask that has already timed out.
        var deferrer = new AskTests.Deferrer();
        AgentId deferring = runtime.Spawn(s_deferrer, 0, () => new AskTests.DeferringAgent(deferrer));
        await Eventually.Fails<AskTimeoutException>(
            runtime.AskAsync<Question, Answer>(deferring, new Question(1), TimeSpan.FromMilliseconds(50)).AsTask(), "the deferred ask to time out");
        runtime.Tell(deferring, new Num(45)); // now answers the expired ask
        Eventually.True(() => runtime.DeadLetters.CountOf(DeadLetterReason.ReplyToExpiredAsk) == 1, "a ReplyToExpiredAsk letter");

        // Stopped.
        Assert.True(runtime.Stop(id));
        Eventually.True(() => runtime.GetInfo(id)!.Status == AgentStatus.Stopped, "the agent to stop");
        Assert.Equal(SendStatus.Stopped, runtime.Tell(id, new Num(46)));
        Assert.Equal(1, runtime.DeadLetters.CountOf(DeadLetterReason.AgentStopped));

        long total = 3 + 1 + dropped + 1 + 1;
        Assert.Equal(total, runtime.DeadLetters.Count);
        Eventually.True(() => observed.Count == total, "the observer to see every letter");
        IReadOnlyList<DeadLetter> recent = runtime.DeadLetters.Recent();
        Assert.Equal(total, recent.Count);
        Assert.Equal(recent.ToHashSet(), observed.ToHashSet());
        foreach (DeadLetterReason reason in new[] { DeadLetterReason.NoSuchAgent, DeadLetterReason.NoHandler, DeadLetterReason.InboxFull, DeadLetterReason.ReplyToExpiredAsk, DeadLetterReason.AgentStopped })
        {
            Assert.Equal(runtime.DeadLetters.CountOf(reason), recent.Count(l => l.Reason == reason));
        }

        DeadLetter[] noSuchAgent = [.. recent.Where(l => l.Reason == DeadLetterReason.NoSuchAgent)];
        Assert.All(noSuchAgent, l => Assert.Equal(nobody, l.Target));
        Assert.Contains(noSuchAgent, l => l.Sender.IsNone && l.Kind == MessageKind.Tell && Payload<Num>(l) == new Num(42));
        Assert.Contains(noSuchAgent, l => l.Sender == sender && Payload<Num>(l) == new Num(43));
        DeadLetter note = Assert.Single(noSuchAgent, l => l.Header.PayloadType == MessageType<Note>.Id);
        Note? lost = FastSerializer.Deserialize<Note>(note.Payload.Span);
        Assert.Equal("lost letter", lost?.Text);
        Assert.Equal(1, lost?.Id);

        DeadLetter noHandler = Assert.Single(recent, l => l.Reason == DeadLetterReason.NoHandler);
        Assert.Equal(id, noHandler.Target);
        Assert.Equal(new Unhandled(44), FastSerializer.Deserialize<Unhandled>(noHandler.Payload.Span));
        Assert.Equal(MessageType<Unhandled>.Id, noHandler.Header.PayloadType);

        Assert.All(recent.Where(l => l.Reason == DeadLetterReason.InboxFull), l => Assert.True(Payload<Num>(l).Value >= 1000));
        DeadLetter expired = Assert.Single(recent, l => l.Reason == DeadLetterReason.ReplyToExpiredAsk);
        Assert.Equal(MessageKind.Reply, expired.Kind);
        Assert.Equal(new Answer(45, 0), FastSerializer.Deserialize<Answer>(expired.Payload.Span));
        DeadLetter stopped = Assert.Single(recent, l => l.Reason == DeadLetterReason.AgentStopped);
        Assert.Equal(new Num(46), Payload<Num>(stopped));
        Assert.Equal(id, stopped.Target);
    }

    [Fact]
    public async Task DeadLetters_Recent_KeepsOnlyTheLatest()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default() with { DeadLettersKept = 4 });
        for (int i = 0; i < 10; i++)
        {
            runtime.Tell(s_agent[500], new Num(i));
        }

        Assert.Equal(10, runtime.DeadLetters.Count);
        Assert.Equal([6, 7, 8, 9], runtime.DeadLetters.Recent().Select(l => Payload<Num>(l).Value));
    }

    private static T Payload<T>(DeadLetter letter) => FastSerializer.Deserialize<T>(letter.Payload.Span)!;

    internal sealed class SendToAgent(AgentId target) : Agent, IHandle<Num>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Num>(this);

        public void Handle(in Num message, AgentContext context) => context.Tell(target, message);
    }
}
