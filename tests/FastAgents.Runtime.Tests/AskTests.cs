using System.Collections.Concurrent;
using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class AskTests
{
    private static readonly AgentType s_responder = AgentType.Register("ask-responder");
    private static readonly AgentType s_silent = AgentType.Register("ask-silent");
    private static readonly AgentType s_deferrer = AgentType.Register("ask-deferrer");
    private static readonly AgentType s_thrower = AgentType.Register("ask-thrower");
    private static readonly AgentType s_requester = AgentType.Register("ask-requester");
    private static readonly AgentType s_misuser = AgentType.Register("ask-misuser");

    [Fact]
    public async Task AskAsync_Responder_ReturnsItsReply()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_responder, 4, () => new RecorderAgent(probe), new AgentOptions { Worker = 1 });

        for (int i = 0; i < 100; i++)
        {
            Answer answer = await Eventually.Within(runtime.AskAsync<Question, Answer>(id, new Question(i)), "a reply");
            Assert.Equal(new Answer(i * 2, 4), answer);
        }

        Assert.Equal(0, runtime.PendingAsks);
    }

    [Fact]
    public async Task AskAsync_NoReply_TimesOutWithAskTimeoutException()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var asked = new Counter();
        AgentId id = runtime.Spawn(s_silent, 0, () => new SilentAgent(asked));

        AskTimeoutException error = await Eventually.Fails<AskTimeoutException>(
            runtime.AskAsync<Question, Answer>(id, new Question(1), TimeSpan.FromMilliseconds(100)).AsTask(), "an unanswered ask");

        Assert.Equal(id, error.Target);
        Assert.Equal(0, runtime.PendingAsks);
        Eventually.True(() => asked.Value == 1, "the silent agent to have received the ask");
    }

    [Fact]
    public async Task AskAsync_StoppedTarget_FailsAtOnceWithAgentStopped()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_responder, 5, () => new RecorderAgent(probe));
        Assert.True(runtime.Stop(id));
        Eventually.True(() => runtime.GetInfo(id)?.Status == AgentStatus.Stopped, "the agent to stop");

        UndeliverableException error = await Eventually.Fails<UndeliverableException>(
            runtime.AskAsync<Question, Answer>(id, new Question(1)).AsTask(), "an ask to a stopped agent", TimeSpan.FromSeconds(10));

        Assert.Equal(DeadLetterReason.AgentStopped, error.Reason);
        Assert.Equal(id, error.Target);
    }

    [Fact]
    public async Task AskAsync_TargetStopsWhileTheAskWaits_FailsWithAgentStopped()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var deferrer = new Deferrer();
        AgentId id = runtime.Spawn(s_deferrer, 0, () => new DeferringAgent(deferrer));

        // The ask's own timeout is far beyond the test's deadline: only the stop can end it in time.
        Task<Answer> ask = runtime.AskAsync<Question, Answer>(id, new Question(1), TimeSpan.FromMinutes(5)).AsTask();
        Eventually.True(() => deferrer.Deferred == 1, "the ask to be deferred");
        Assert.False(ask.IsCompleted);
        Assert.True(runtime.Stop(id));

        UndeliverableException error = await Eventually.Fails<UndeliverableException>(ask, "the ask to a stopping agent");
        Assert.Equal(DeadLetterReason.AgentStopped, error.Reason);
        Assert.Equal(0, runtime.PendingAsks);
    }

    [Fact]
    public async Task AskAsync_UnknownTarget_FailsWithNoSuchAgent()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());

        UndeliverableException error = await Eventually.Fails<UndeliverableException>(
            runtime.AskAsync<Question, Answer>(s_responder[999], new Question(1)).AsTask(), "an ask to nobody");

        Assert.Equal(DeadLetterReason.NoSuchAgent, error.Reason);
        Assert.Equal(1, runtime.DeadLetters.CountOf(DeadLetterReason.NoSuchAgent));
    }

    [Fact]
    public async Task AskAsync_HandlerThrows_FailsWithHandlerFailed()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        AgentId id = runtime.Spawn(s_thrower, 0, () => new ThrowingAgent());

        UndeliverableException error = await Eventually.Fails<UndeliverableException>(
            runtime.AskAsync<Question, Answer>(id, new Question(1)).AsTask(), "an ask whose handler throws");

        Assert.Equal(DeadLetterReason.HandlerFailed, error.Reason);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal("boom", error.InnerException!.Message);
        Assert.Equal(0, runtime.PendingAsks);
    }

    [Fact]
    public async Task AskAsync_DeferredReply_CompletesWhenTheAgentAnswersLater()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var deferrer = new Deferrer();
        AgentId id = runtime.Spawn(s_deferrer, 1, () => new DeferringAgent(deferrer));

        Task<Answer> ask = runtime.AskAsync<Question, Answer>(id, new Question(1)).AsTask();
        Eventually.True(() => deferrer.Deferred == 1, "the ask to be deferred");
        Assert.False(ask.IsCompleted);
        runtime.Tell(id, new Num(77));

        Answer answer = await Eventually.Within(new ValueTask<Answer>(ask), "the deferred reply");
        Assert.Equal(77, answer.Value);
    }

    [Fact]
    public async Task AskAsync_ReplyOfAnotherType_FailsWithInvalidCast()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_responder, 6, () => new RecorderAgent(probe));

        await Eventually.Fails<InvalidCastException>(runtime.AskAsync<Question, Num>(id, new Question(1)).AsTask(), "an ask answered with the wrong type");
    }

    [Fact]
    public async Task Request_BetweenAgents_ReplyArrivesAsReplyWithTheSameCorrelationId()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var responderProbe = new Probe();
        AgentId responder = runtime.Spawn(s_responder, 7, () => new RecorderAgent(responderProbe), new AgentOptions { Worker = 1 });
        var requests = new RequestLog();
        AgentId requester = runtime.Spawn(s_requester, 0, () => new RequesterAgent(responder, requests), new AgentOptions { Worker = 0 });

        runtime.Tell(requester, new Go(21));
        runtime.Tell(requester, new Go(50));
        Eventually.True(() => requests.Replies.Count == 2, "two replies to come back");

        Assert.Equal(2, requests.Correlations.Count);
        Assert.Equal(2, requests.Correlations.Distinct().Count());
        foreach ((Answer answer, MessageKind kind, ulong correlation, AgentId sender) in requests.Replies)
        {
            Assert.Equal(MessageKind.Reply, kind);
            Assert.Equal(responder, sender);
            Assert.Contains(correlation, requests.Correlations);
            Assert.Equal(7u, answer.ResponderKey);
        }

        Assert.Equal([42, 100], requests.Replies.Select(r => r.Answer.Value).Order());
    }

    [Fact]
    public async Task Reply_OnATellOrTwice_Throws()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var errors = new ConcurrentQueue<string>();
        AgentId id = runtime.Spawn(s_misuser, 0, () => new MisusingAgent(errors));

        runtime.Tell(id, new Num(1));
        Answer answer = await Eventually.Within(runtime.AskAsync<Question, Answer>(id, new Question(3)), "the first reply");

        Assert.Equal(3, answer.Value);
        Eventually.True(() => errors.Count == 3, "three refused misuses");
        Assert.Equal(["defer-on-tell", "reply-to-tell", "second-reply"], errors.Order());
    }

    [Fact]
    public async Task AskAsync_BeyondMaxPendingAsks_FailsAtOnce()
    {
        // RuntimeOptions.MaxPendingAsks: "an ask beyond that fails at once".
        await using var runtime = new AgentRuntime(TestOptions.Default() with { MaxPendingAsks = 1 });
        var deferrer = new Deferrer();
        AgentId deferring = runtime.Spawn(s_deferrer, 2, () => new DeferringAgent(deferrer), new AgentOptions { Worker = 0 });
        using var probe = new Probe();
        AgentId responder = runtime.Spawn(s_responder, 8, () => new RecorderAgent(probe), new AgentOptions { Worker = 1 });

        Task<Answer> first = runtime.AskAsync<Question, Answer>(deferring, new Question(1)).AsTask();
        Eventually.True(() => deferrer.Deferred == 1, "the first ask to be deferred");
        Assert.Equal(1, runtime.PendingAsks);

        ValueTask<Answer> second = runtime.AskAsync<Question, Answer>(responder, new Question(10));
        Assert.True(second.IsFaulted, "the ask beyond MaxPendingAsks fails at once");
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await second);
        Assert.Equal(0, probe.Count);

        runtime.Tell(deferring, new Num(5));
        Assert.Equal(5, (await Eventually.Within(new ValueTask<Answer>(first), "the first ask")).Value);
        Assert.Equal(0, runtime.PendingAsks);
    }

    internal sealed class Counter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }

    internal sealed class SilentAgent(Counter asked) : Agent, IHandle<Question>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Question>(this);

        public void Handle(in Question message, AgentContext context) => asked.Increment();
    }

    internal sealed class ThrowingAgent : Agent, IHandle<Question>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Question>(this);

        public void Handle(in Question message, AgentContext context) => throw new InvalidOperationException("boom");
    }

    internal sealed class Deferrer
    {
        private int _deferred;

        public int Deferred => Volatile.Read(ref _deferred);

        public void Count() => Interlocked.Increment(ref _deferred);
    }

    /// <summary>Keeps every ask unanswered; a <see cref="Num"/> answers the oldest kept ask with its value.</summary>
    internal sealed class DeferringAgent(Deferrer deferrer) : Agent, IHandle<Question>, IHandle<Num>
    {
        private readonly Queue<PendingReply> _pending = new();

        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Question>(this).Add<Num>(this);

        public void Handle(in Question message, AgentContext context)
        {
            _pending.Enqueue(context.DeferReply());
            deferrer.Count();
        }

        public void Handle(in Num message, AgentContext context)
        {
            if (_pending.TryDequeue(out PendingReply pending))
            {
                context.ReplyTo(pending, new Answer(message.Value, context.Self.Key));
            }
        }
    }

    internal sealed class RequestLog
    {
        public ConcurrentQueue<ulong> Correlations { get; } = new();

        public ConcurrentQueue<(Answer Answer, MessageKind Kind, ulong Correlation, AgentId Sender)> Replies { get; } = new();
    }

    internal sealed class RequesterAgent(AgentId responder, RequestLog log) : Agent, IHandle<Go>, IHandle<Answer>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Go>(this).Add<Answer>(this);

        public void Handle(in Go message, AgentContext context) =>
            log.Correlations.Enqueue(context.Request(responder, new Question(message.Round)));

        public void Handle(in Answer message, AgentContext context) =>
            log.Replies.Enqueue((message, context.Kind, context.CorrelationId, context.Sender));
    }

    internal sealed class MisusingAgent(ConcurrentQueue<string> errors) : Agent, IHandle<Num>, IHandle<Question>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Num>(this).Add<Question>(this);

        public void Handle(in Num message, AgentContext context)
        {
            Try(() => context.Reply(new Answer(0, 0)), "reply-to-tell");
            Try(() => context.DeferReply(), "defer-on-tell");
        }

        public void Handle(in Question message, AgentContext context)
        {
            context.Reply(new Answer(message.Value, 0));
            Try(() => context.Reply(new Answer(-1, 0)), "second-reply");
        }

        private void Try(Action action, string name)
        {
            try
            {
                action();
            }
            catch (InvalidOperationException)
            {
                errors.Enqueue(name);
            }
        }
    }
}
