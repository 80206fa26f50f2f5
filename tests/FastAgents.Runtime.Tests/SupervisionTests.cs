using System.Collections.Concurrent;
using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class SupervisionTests
{
    private static readonly AgentType s_faulty = AgentType.Register("supervision-faulty");
    private static readonly AgentType s_bystander = AgentType.Register("supervision-bystander");

    [Fact]
    public async Task HandlerThrows_Resume_KeepsTheInstanceAndItsState()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var log = new SupervisionLog();
        using var bystander = new Probe();
        (AgentId id, AgentId bystanderId) = Spawn(runtime, log, SupervisionPolicy.Resume, bystander);

        runtime.Tell(id, new Num(1));
        runtime.Tell(id, new Num(2));
        runtime.Tell(id, new Num(-1));
        runtime.Tell(bystanderId, new Num(100));
        runtime.Tell(id, new Num(3));
        Eventually.True(() => log.Handled.Count == 3, "three successful messages");

        Assert.Equal([(1, 1), (1, 2), (1, 3)], log.Handled.Select(h => (h.Instance, h.Count)));
        Assert.Equal(1, log.Factories);
        Assert.Equal(1, log.Starts);
        AssertFaultRecorded(runtime, id, "fail -1");
        bystander.WaitForCount(1, "the bystander on the same worker");
        Assert.Equal(AgentStatus.Idle, WaitIdle(runtime, id));
    }

    [Fact]
    public async Task HandlerThrows_Restart_FreshInstanceFromTheFactoryAndOnStartAgain()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var log = new SupervisionLog();
        using var bystander = new Probe();
        (AgentId id, AgentId bystanderId) = Spawn(runtime, log, SupervisionPolicy.Restart, bystander);

        runtime.Tell(id, new Num(1));
        runtime.Tell(id, new Num(2));
        runtime.Tell(id, new Num(-1));
        runtime.Tell(bystanderId, new Num(100));
        runtime.Tell(id, new Num(3));
        Eventually.True(() => log.Handled.Count == 3, "three successful messages");

        Assert.Equal([(1, 1), (1, 2), (2, 1)], log.Handled.Select(h => (h.Instance, h.Count)));
        Assert.Equal(2, log.Factories);
        Assert.Equal(2, log.Starts);
        Assert.Equal(0, log.Stops);
        AssertFaultRecorded(runtime, id, "fail -1");
        bystander.WaitForCount(1, "the bystander on the same worker");
    }

    [Fact]
    public async Task HandlerThrows_RestartWhoseFactoryFails_StopsTheAgent()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var log = new SupervisionLog();
        int created = 0;
        AgentId id = runtime.Spawn(s_faulty, 9, () => Interlocked.Increment(ref created) == 1
            ? new FaultyAgent(log)
            : throw new InvalidOperationException("factory broke"), new AgentOptions { Supervision = SupervisionPolicy.Restart });

        runtime.Tell(id, new Num(-1));
        Eventually.True(() => runtime.GetInfo(id)!.Status == AgentStatus.Stopped, "the agent to stop");

        Assert.Equal("factory broke", runtime.GetInfo(id)!.LastError?.Message);
        Assert.Equal(SendStatus.Stopped, runtime.Tell(id, new Num(1)));
    }

    [Fact]
    public async Task HandlerThrows_Stop_StopsTheAgentAndDeadLettersTheRest()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var log = new SupervisionLog();
        using var bystander = new Probe();
        (AgentId id, AgentId bystanderId) = Spawn(runtime, log, SupervisionPolicy.Stop, bystander);

        runtime.Tell(id, new Num(1));
        runtime.Tell(id, new Hold(0));
        log.Gate.WaitEntered();
        try
        {
            runtime.Tell(id, new Num(-1));
            runtime.Tell(id, new Num(5)); // queued behind the failure
            runtime.Tell(id, new Num(6));
        }
        finally
        {
            log.Gate.Release();
        }

        Eventually.True(() => log.Stops == 1, "OnStop after the failure");
        Eventually.True(() => runtime.DeadLetters.CountOf(DeadLetterReason.AgentStopped) == 2, "the queued messages to be dead-lettered");
        Assert.Equal(SendStatus.Stopped, runtime.Tell(id, new Num(7)));
        Assert.Equal(3, runtime.DeadLetters.CountOf(DeadLetterReason.AgentStopped));
        Assert.Equal(1, runtime.DeadLetters.CountOf(DeadLetterReason.HandlerFailed));
        Assert.Equal([1], log.Handled.Select(h => h.Value));
        Assert.Equal(AgentStatus.Stopped, runtime.GetInfo(id)!.Status);
        Assert.False(runtime.Stop(id));

        runtime.Tell(bystanderId, new Num(100));
        bystander.WaitForCount(1, "the bystander on the same worker");
    }

    [Fact]
    public async Task HandlerThrows_Retry_RedeliversTheSameMessageUntilItSucceeds()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var log = new SupervisionLog();
        SupervisionPolicy policy = SupervisionPolicy.Retry(5, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20));
        using var bystander = new Probe();
        (AgentId id, AgentId bystanderId) = Spawn(runtime, log, policy, bystander);

        runtime.Tell(id, new Flaky(1, FailTimes: 2));
        runtime.Tell(bystanderId, new Num(100));
        Eventually.True(() => log.Succeeded.Contains(1), "the flaky message to succeed");

        Assert.Equal(3, log.AttemptsOf(1));
        Assert.Equal(0, runtime.DeadLetters.CountOf(DeadLetterReason.HandlerFailed));
        AgentInfo info = runtime.GetInfo(id)!;
        Assert.Equal(2, info.Faults);
        Assert.Equal(1, info.Handled);
        Assert.Equal(1, log.Factories);
        bystander.WaitForCount(1, "the bystander on the same worker");
    }

    [Fact]
    public async Task HandlerThrows_RetryExhausted_GivesUpAfterMaxAttemptsWithHandlerFailed()
    {
        var letters = new ConcurrentQueue<DeadLetter>();
        await using var runtime = new AgentRuntime(TestOptions.Default() with { OnDeadLetter = letters.Enqueue });
        var log = new SupervisionLog();
        SupervisionPolicy policy = SupervisionPolicy.Retry(3, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20));
        using var bystander = new Probe();
        (AgentId id, AgentId bystanderId) = Spawn(runtime, log, policy, bystander);

        runtime.Tell(id, new Flaky(2, FailTimes: 1000));
        Eventually.True(() => runtime.DeadLetters.CountOf(DeadLetterReason.HandlerFailed) == 1, "the message to be given up");

        // The agent resumes (the default fallback) and keeps serving; no further attempt is made.
        runtime.Tell(id, new Num(8));
        Eventually.True(() => log.Handled.Count == 1, "a later message");
        runtime.Tell(bystanderId, new Num(100));
        bystander.WaitForCount(1, "the bystander on the same worker");
        Assert.Equal(3, log.AttemptsOf(2));
        DeadLetter letter = Assert.Single(letters, l => l.Reason == DeadLetterReason.HandlerFailed);
        Assert.Equal(id, letter.Target);
        Assert.Equal(new Flaky(2, 1000), FastAgents.Serialization.FastSerializer.Deserialize<Flaky>(letter.Payload.Span));
        Assert.Equal("flaky 2 attempt 3", letter.Exception?.Message);
        Assert.Equal(AgentStatus.Idle, WaitIdle(runtime, id));
    }

    [Fact]
    public async Task HandlerThrows_RetryThenStop_StopsAfterTheLastAttempt()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var log = new SupervisionLog();
        SupervisionPolicy policy = SupervisionPolicy.Retry(2, TimeSpan.Zero, TimeSpan.FromMilliseconds(1), SupervisionDirective.Stop);
        using var bystander = new Probe();
        (AgentId id, _) = Spawn(runtime, log, policy, bystander);

        runtime.Tell(id, new Flaky(3, FailTimes: 1000));
        Eventually.True(() => log.Stops == 1, "the agent to stop after its retries");

        Assert.Equal(2, log.AttemptsOf(3));
        Assert.Equal(AgentStatus.Stopped, runtime.GetInfo(id)!.Status);
    }

    [Fact]
    public void Retry_Backoff_DoublesFromTheInitialWaitUpToTheCap()
    {
        SupervisionPolicy policy = SupervisionPolicy.Retry(6, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(35));

        Assert.Equal(TimeSpan.FromMilliseconds(10), policy.BackoffBefore(2));
        Assert.Equal(TimeSpan.FromMilliseconds(20), policy.BackoffBefore(3));
        Assert.Equal(TimeSpan.FromMilliseconds(35), policy.BackoffBefore(4));
        Assert.Equal(TimeSpan.FromMilliseconds(35), policy.BackoffBefore(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => SupervisionPolicy.Retry(1, TimeSpan.Zero, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => SupervisionPolicy.Retry(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SupervisionPolicy.Retry(3, TimeSpan.Zero, TimeSpan.Zero, SupervisionDirective.Retry));
    }

    private static (AgentId Id, AgentId BystanderId) Spawn(AgentRuntime runtime, SupervisionLog log, SupervisionPolicy policy, Probe bystander)
    {
        AgentId id = runtime.Spawn(s_faulty, 0, () => new FaultyAgent(log), new AgentOptions { Worker = 0, Supervision = policy });
        AgentId bystanderId = runtime.Spawn(s_bystander, 0, () => new RecorderAgent(bystander), new AgentOptions { Worker = 0 });
        return (id, bystanderId);
    }

    private static void AssertFaultRecorded(AgentRuntime runtime, AgentId id, string message)
    {
        Eventually.True(() => runtime.DeadLetters.CountOf(DeadLetterReason.HandlerFailed) == 1, "the failed message to be dead-lettered");
        DeadLetter letter = Assert.Single(runtime.DeadLetters.Recent(), l => l.Reason == DeadLetterReason.HandlerFailed);
        Assert.Equal(id, letter.Target);
        Assert.Equal(message, letter.Exception?.Message);
        Assert.Equal(new Num(-1), FastAgents.Serialization.FastSerializer.Deserialize<Num>(letter.Payload.Span));
        AgentInfo info = runtime.GetInfo(id)!;
        Assert.Equal(1, info.Faults);
        Assert.Equal(message, info.LastError?.Message);
        Assert.Equal(1, runtime.HandlerFaults);
    }

    private static AgentStatus WaitIdle(AgentRuntime runtime, AgentId id)
    {
        Eventually.True(() => runtime.GetInfo(id)!.Status == AgentStatus.Idle, $"{id} to be idle");
        return runtime.GetInfo(id)!.Status;
    }

    public readonly record struct Flaky(int Id, int FailTimes);

    internal sealed class SupervisionLog
    {
        private readonly ConcurrentDictionary<int, int> _attempts = new();
        private int _factories;
        private int _starts;
        private int _stops;

        public Gate Gate { get; } = new();

        public ConcurrentQueue<(int Instance, int Count, int Value)> Handled { get; } = new();

        public ConcurrentBag<int> Succeeded { get; } = [];

        public int Factories => Volatile.Read(ref _factories);

        public int Starts => Volatile.Read(ref _starts);

        public int Stops => Volatile.Read(ref _stops);

        public int NewInstance() => Interlocked.Increment(ref _factories);

        public void Started() => Interlocked.Increment(ref _starts);

        public void Stopped() => Interlocked.Increment(ref _stops);

        public int Attempt(int id) => _attempts.AddOrUpdate(id, 1, static (_, n) => n + 1);

        public int AttemptsOf(int id) => _attempts.GetValueOrDefault(id);
    }

    /// <summary>Counts its messages in instance state; throws on negative numbers and on a <see cref="Flaky"/> until it has failed enough.</summary>
    internal sealed class FaultyAgent : Agent, IHandle<Num>, IHandle<Hold>, IHandle<Flaky>
    {
        private readonly SupervisionLog _log;
        private readonly int _instance;
        private int _count;

        public FaultyAgent(SupervisionLog log)
        {
            _log = log;
            _instance = log.NewInstance();
        }

        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Num>(this).Add<Hold>(this).Add<Flaky>(this);

        protected internal override void OnStart(AgentContext context) => _log.Started();

        protected internal override void OnStop(AgentContext context) => _log.Stopped();

        public void Handle(in Num message, AgentContext context)
        {
            if (message.Value < 0)
            {
                throw new InvalidOperationException($"fail {message.Value}");
            }

            _count++;
            _log.Handled.Enqueue((_instance, _count, message.Value));
        }

        public void Handle(in Hold message, AgentContext context) => _log.Gate.Enter();

        public void Handle(in Flaky message, AgentContext context)
        {
            int attempt = _log.Attempt(message.Id);
            if (attempt <= message.FailTimes)
            {
                throw new InvalidOperationException($"flaky {message.Id} attempt {attempt}");
            }

            _log.Succeeded.Add(message.Id);
        }
    }
}
