using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class BalancerTests
{
    private static readonly AgentType s_member = AgentType.Register("balancer-member");

    [Fact]
    public async Task TellAnyAndAskAny_OneMemberBacklogged_GoToTheOthers()
    {
        // Three workers, so that each member has a worker of its own and only member 0 is held up.
        await using var runtime = new AgentRuntime(TestOptions.Default(workers: 3));
        var pool = new Capability("balancer-busy");
        using var log = new PoolLog(3);
        AgentId[] members = runtime.SpawnPool(s_member, 3, () => new PoolMemberAgent(log), pool);
        Assert.Equal([0, 1, 2], members.Select(m => runtime.GetInfo(m)!.Worker).Order());

        runtime.Tell(members[0], new Hold(0));
        log.Gate.WaitEntered();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                runtime.Tell(members[0], new Num(-1)); // a backlog of 3
            }

            Assert.Equal(3, runtime.GetInfo(members[0])!.QueueDepth);
            for (int i = 0; i < 20; i++)
            {
                int before = log.Total;
                Assert.Equal(SendStatus.Sent, runtime.TellAny(pool, new Num(i)));
                Eventually.True(() => log.Total == before + 1, $"TellAny #{i} to be handled by a free member");
            }

            Assert.Equal(0, log.CountOf(0));
            Assert.Equal(20, log.CountOf(1) + log.CountOf(2));

            for (int i = 0; i < 10; i++)
            {
                Answer answer = await Eventually.Within(runtime.AskAnyAsync<Question, Answer>(pool, new Question(i)), $"AskAny #{i}");
                Assert.Equal(i, answer.Value);
                Assert.NotEqual(0u, answer.ResponderKey);
            }

            Assert.Equal(4, runtime.GetInfo(members[0])!.Received);
        }
        finally
        {
            log.Gate.Release();
        }

        Eventually.True(() => log.CountOf(0) >= 3, "the backlog to drain after the release");
        Assert.Equal(3, log.CountOf(0));
    }

    [Fact]
    public async Task TellAnyAndAskAny_EqualMembers_TiesRotate()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var pool = new Capability("balancer-ties");
        using var log = new PoolLog(4);
        AgentId[] members = runtime.SpawnPool(s_member, 4, () => new PoolMemberAgent(log), pool);
        Assert.Equal(4, runtime.FindByCapability(pool).Count);

        for (int i = 0; i < 40; i++)
        {
            int before = log.Total;
            Assert.Equal(SendStatus.Sent, runtime.TellAny(pool, new Num(i)));
            Eventually.True(() => log.Total == before + 1, $"TellAny #{i} to be handled");
        }

        for (int key = 0; key < members.Length; key++)
        {
            Assert.True(log.CountOf(key) > 0, $"member {key} got none of 40 sends: {string.Join(",", Enumerable.Range(0, 4).Select(log.CountOf))}");
        }

        var responders = new HashSet<uint>();
        for (int i = 0; i < 40; i++)
        {
            Answer answer = await Eventually.Within(runtime.AskAnyAsync<Question, Answer>(pool, new Question(i)), $"AskAny #{i}");
            Assert.Equal(i, answer.Value);
            responders.Add(answer.ResponderKey);
        }

        Assert.Equal([0u, 1u, 2u, 3u], responders.Order());
    }

    [Fact]
    public async Task TellAnyAndAskAny_NoMember_NoSuchAgent()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var pool = new Capability("balancer-nobody");

        Assert.Equal(SendStatus.NoSuchAgent, runtime.TellAny(pool, new Num(1)));
        UndeliverableException error = await Eventually.Fails<UndeliverableException>(
            runtime.AskAnyAsync<Question, Answer>(pool, new Question(1)).AsTask(), "an ask to an empty pool");

        Assert.Equal(DeadLetterReason.NoSuchAgent, error.Reason);
        Assert.Equal(2, runtime.DeadLetters.CountOf(DeadLetterReason.NoSuchAgent));
    }

    [Fact]
    public async Task TellAny_StoppedMember_IsNotChosen()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var pool = new Capability("balancer-stopped");
        using var log = new PoolLog(2);
        AgentId[] members = runtime.SpawnPool(s_member, 2, () => new PoolMemberAgent(log), pool);
        Assert.True(runtime.Stop(members[0]));
        Eventually.True(() => runtime.GetInfo(members[0])!.Status == AgentStatus.Stopped, "member 0 to stop");

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(SendStatus.Sent, runtime.TellAny(pool, new Num(i)));
        }

        Eventually.True(() => log.CountOf(1) == 10, "member 1 to handle every send");
        Assert.Equal(0, log.CountOf(0));
        Assert.Equal(0, runtime.DeadLetters.CountOf(DeadLetterReason.AgentStopped));
    }

    internal sealed class PoolLog(int members) : IDisposable
    {
        private readonly int[] _counts = new int[members];
        private int _total;

        public Gate Gate { get; } = new();

        public int Total => Volatile.Read(ref _total);

        public int CountOf(int key) => Volatile.Read(ref _counts[key]);

        public void Count(uint key, bool total)
        {
            Interlocked.Increment(ref _counts[key]);
            if (total)
            {
                Interlocked.Increment(ref _total);
            }
        }

        public void Dispose() => Gate.Dispose();
    }

    /// <summary>Counts <see cref="Num"/>s by member key (negative ones are backlog, not counted in the total), blocks on <see cref="Hold"/>.</summary>
    internal sealed class PoolMemberAgent(PoolLog log) : Agent, IHandle<Num>, IHandle<Hold>, IHandle<Question>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Num>(this).Add<Hold>(this).Add<Question>(this);

        public void Handle(in Num message, AgentContext context) => log.Count(context.Self.Key, message.Value >= 0);

        public void Handle(in Hold message, AgentContext context) => log.Gate.Enter();

        public void Handle(in Question message, AgentContext context) => context.Reply(new Answer(message.Value, context.Self.Key));
    }
}
