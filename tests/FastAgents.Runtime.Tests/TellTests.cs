using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class TellTests
{
    private static readonly AgentType s_recorder = AgentType.Register("tell-recorder");
    private static readonly AgentType s_checker = AgentType.Register("tell-checker");
    private static readonly AgentType s_pump = AgentType.Register("tell-pump");

    [Fact]
    public async Task Tell_FromOutside_DeliversWithKindTellAndNoSender()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_recorder, 1, () => new RecorderAgent(probe), new AgentOptions { Worker = 1 });

        Assert.Equal(SendStatus.Sent, runtime.Tell(id, new Num(7)));
        Assert.Equal(SendStatus.Sent, runtime.TryTell(id, new Num(8), Priority.High));
        probe.WaitForCount(2, "outside tells");

        Seen[] seen = probe.Snapshot();
        Assert.Equal(new[] { 7, 8 }.Order(), seen.Select(s => s.Value).Order());
        Assert.All(seen, s =>
        {
            Assert.Equal(MessageKind.Tell, s.Kind);
            Assert.Equal(AgentId.None, s.Sender);
            Assert.Equal(id, s.Self);
            Assert.Equal(1, s.Worker);
            Assert.Equal(0ul, s.CorrelationId);
        });
        Assert.Equal(Priority.High, seen.Single(s => s.Value == 8).Priority);
        Assert.Equal(1, probe.Starts);
    }

    [Fact]
    public async Task Tell_ClassMessageWithString_ArrivesIntact()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_recorder, 2, () => new RecorderAgent(probe), new AgentOptions { Worker = 0 });

        Assert.Equal(SendStatus.Sent, runtime.Tell(id, new Note { Id = 5, Text = "héllo, agents" }));
        probe.WaitForCount(1, "class message");

        Assert.True(probe.Notes.TryDequeue(out Note? note));
        Assert.Equal(5, note.Id);
        Assert.Equal("héllo, agents", note.Text);
    }

    [Fact]
    public async Task Tell_SeveralSendersOnBothWorkersAndOutside_EachSequenceArrivesInOrderWithoutGaps()
    {
        const int PerSender = 20_000;
        const int Sources = 4; // 0: agent on worker 0, 1: agent on worker 1, 2 and 3: outside threads
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var checker = new SequenceChecker(Sources);
        AgentId receiver = runtime.Spawn(s_checker, 0, () => new SequenceCheckerAgent(checker), new AgentOptions { Worker = 0 });
        AgentId pump0 = runtime.Spawn(s_pump, 0, () => new SequencePumpAgent(receiver, 0, PerSender), new AgentOptions { Worker = 0 });
        AgentId pump1 = runtime.Spawn(s_pump, 1, () => new SequencePumpAgent(receiver, 1, PerSender), new AgentOptions { Worker = 1 });
        checker.ExpectedSenders[0] = pump0;
        checker.ExpectedSenders[1] = pump1;

        runtime.Tell(pump0, new Go(0));
        runtime.Tell(pump1, new Go(0));
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        Thread[] outside = [.. Enumerable.Range(2, 2).Select(source => new Thread(() =>
        {
            try
            {
                for (int n = 0; n < PerSender; n++)
                {
                    Assert.Equal(SendStatus.Sent, runtime.Tell(receiver, new Seq(source, n)));
                }
            }
#pragma warning disable CA1031 // reported by the test thread
            catch (Exception ex)
#pragma warning restore CA1031
            {
                errors.Enqueue(ex);
            }
        }) { IsBackground = true })];
        foreach (Thread thread in outside)
        {
            thread.Start();
        }

        Eventually.True(() => checker.Total >= Sources * PerSender || checker.Violations > 0 || !errors.IsEmpty, $"all {Sources * PerSender} messages (saw {checker.Total})", TimeSpan.FromSeconds(60));
        foreach (Thread thread in outside)
        {
            Assert.True(thread.Join(Eventually.Deadline), "an outside sender did not finish");
        }

        Assert.Empty(errors);
        Assert.True(checker.Violations == 0, checker.FirstViolation);
        Assert.Equal(Sources * PerSender, checker.Total);
        Assert.All(checker.Next, next => Assert.Equal(PerSender, next));
    }

    [Fact]
    public async Task Tell_InvalidPriority_Throws()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_recorder, 3, () => new RecorderAgent(probe));

        Assert.Throws<ArgumentOutOfRangeException>(() => runtime.Tell(id, new Num(1), (Priority)3));
    }

    /// <summary>Shared state of a <see cref="SequenceCheckerAgent"/>: per source, the next number expected.</summary>
    [Fact]
    public async Task Tell_WithNoIdleSpin_WorkersParkAtOnceAndNoWakeUpIsLost()
    {
        // Workers that park the moment they find nothing: every send in a trickle must wake its worker.
        const int PerSender = 3_000;
        await using var runtime = new AgentRuntime(TestOptions.Default() with { IdleSpin = TimeSpan.Zero, IdleYield = TimeSpan.Zero });
        var checker = new SequenceChecker(2);
        AgentId receiver = runtime.Spawn(s_checker, 10, () => new SequenceCheckerAgent(checker), new AgentOptions { Worker = 1 });
        Thread[] senders = [.. Enumerable.Range(0, 2).Select(source => new Thread(() =>
        {
            for (int n = 0; n < PerSender; n++)
            {
                runtime.Tell(receiver, new Seq(source, n));
                if (n % 16 == 0)
                {
                    Thread.Sleep(0); // gaps long enough for the worker to park
                }
            }
        }) { IsBackground = true })];
        foreach (Thread thread in senders)
        {
            thread.Start();
        }

        Eventually.True(() => checker.Total >= 2 * PerSender || checker.Violations > 0, $"all {2 * PerSender} messages (saw {checker.Total})", TimeSpan.FromSeconds(60));
        Assert.All(senders, thread => Assert.True(thread.Join(Eventually.Deadline)));
        Assert.True(checker.Violations == 0, checker.FirstViolation);
        Assert.Equal(2 * PerSender, checker.Total);
    }

    [Fact]
    public void RuntimeOptions_NegativeIdleSpinOrYield_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentRuntime(TestOptions.Default() with { IdleSpin = TimeSpan.FromTicks(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentRuntime(TestOptions.Default() with { IdleYield = TimeSpan.FromTicks(-1) }));
    }

    internal sealed class SequenceChecker(int sources)
    {
        private int _total;
        private int _violations;

        public int[] Next { get; } = new int[sources];

        public AgentId[] ExpectedSenders { get; } = new AgentId[sources];

        public int Total => Volatile.Read(ref _total);

        public int Violations => Volatile.Read(ref _violations);

        public string FirstViolation { get; private set; } = "";

        public void Observe(in Seq message, AgentId sender)
        {
            if (message.N != Next[message.Source] || sender != ExpectedSenders[message.Source])
            {
                if (Interlocked.Increment(ref _violations) == 1)
                {
                    FirstViolation = $"source {message.Source}: expected #{Next[message.Source]} from {ExpectedSenders[message.Source]}, got #{message.N} from {sender}";
                }
            }

            Next[message.Source] = message.N + 1;
            Interlocked.Increment(ref _total);
        }
    }

    internal sealed class SequenceCheckerAgent(SequenceChecker checker) : Agent, IHandle<Seq>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Seq>(this);

        public void Handle(in Seq message, AgentContext context) => checker.Observe(message, context.Sender);
    }

    /// <summary>Sends its numbered sequence in chunks, telling itself to go on after each chunk.</summary>
    internal sealed class SequencePumpAgent(AgentId target, int source, int count) : Agent, IHandle<Go>
    {
        private const int Chunk = 32;
        private int _next;

        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Go>(this);

        public void Handle(in Go message, AgentContext context)
        {
            int end = Math.Min(count, _next + Chunk);
            for (; _next < end; _next++)
            {
                context.Tell(target, new Seq(source, _next));
            }

            if (_next < count)
            {
                context.Tell(context.Self, new Go(message.Round + 1));
            }
        }
    }
}
