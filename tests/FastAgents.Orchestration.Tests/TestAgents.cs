using System.Collections.Concurrent;
using System.Diagnostics;
using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Orchestration.Tests;

/// <summary>An unmanaged test message.</summary>
public readonly record struct Ping(int Value);

/// <summary>What the test agents saw, read by the test thread.</summary>
public sealed class StepLog
{
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _entered = new();

    public ConcurrentQueue<(string Agent, StepRequest Request)> Requests { get; } = new();

    /// <summary>Records a request to <paramref name="agent"/>; returns how many it has had, this one included.</summary>
    public int Add(string agent, StepRequest request)
    {
        Requests.Enqueue((agent, request));
        int count = _counts.AddOrUpdate(agent, 1, static (_, n) => n + 1);
        Entered(agent).TrySetResult();
        return count;
    }

    public int CountOf(string agent) => _counts.TryGetValue(agent, out int n) ? n : 0;

    public TaskCompletionSource Entered(string agent) =>
        _entered.GetOrAdd(agent, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public StepRequest[] RequestsTo(string agent) => [.. Requests.Where(r => r.Agent == agent).Select(r => r.Request)];
}

/// <summary>Answers at once: "tag(input)", or "tag[part|part]" for an aggregation.</summary>
public sealed class EchoAgent(string tag, StepLog log) : Agent, IHandle<StepRequest>
{
    protected override void Configure(HandlerMap handlers) => handlers.Add<StepRequest>(this);

    public void Handle(in StepRequest message, AgentContext context)
    {
        log.Add(tag, message);
        string output = message.Parts is { } parts ? $"{tag}[{string.Join("|", parts)}]" : $"{tag}({message.Input})";
        context.Reply(StepReply.Success(output));
    }
}

/// <summary>Fails its first <c>failures</c> requests (an error reply, or by throwing), then echoes.</summary>
public sealed class FlakyAgent(string tag, int failures, bool throws, StepLog log) : Agent, IHandle<StepRequest>
{
    protected override void Configure(HandlerMap handlers) => handlers.Add<StepRequest>(this);

    public void Handle(in StepRequest message, AgentContext context)
    {
        int n = log.Add(tag, message);
        if (n <= failures)
        {
            if (throws)
            {
                throw new InvalidOperationException($"{tag} failure {n}");
            }

            context.Reply(StepReply.Failure($"{tag} failure {n}"));
            return;
        }

        context.Reply(StepReply.Success($"{tag}({message.Input})"));
    }
}

/// <summary>Keeps every request and never answers.</summary>
public sealed class SilentAgent(string tag, StepLog log) : Agent, IHandle<StepRequest>
{
    protected override void Configure(HandlerMap handlers) => handlers.Add<StepRequest>(this);

    public void Handle(in StepRequest message, AgentContext context)
    {
        context.DeferReply();
        log.Add(tag, message);
    }
}

/// <summary>
/// Holds requests until <c>count</c> have arrived, then answers them all: a plan that asks it sequentially would
/// never finish, so a parallel plan that does proves its branches were in flight together.
/// </summary>
public sealed class RendezvousAgent(string tag, int count, StepLog log) : Agent, IHandle<StepRequest>
{
    private readonly List<(PendingReply Pending, string? Input)> _held = [];

    protected override void Configure(HandlerMap handlers) => handlers.Add<StepRequest>(this);

    public void Handle(in StepRequest message, AgentContext context)
    {
        log.Add(tag, message);
        _held.Add((context.DeferReply(), message.Step));
        if (_held.Count < count)
        {
            return;
        }

        foreach ((PendingReply pending, string? step) in _held)
        {
            context.ReplyTo(pending, StepReply.Success($"{tag}:{step}"));
        }

        _held.Clear();
    }
}

/// <summary>Records every context change it is told of.</summary>
public sealed class WatcherAgent : Agent, IHandle<ContextChanged>
{
    private readonly ConcurrentQueue<ContextChanged> _seen;

    public WatcherAgent(ConcurrentQueue<ContextChanged> seen) => _seen = seen;

    protected override void Configure(HandlerMap handlers) => handlers.Add<ContextChanged>(this);

    public void Handle(in ContextChanged message, AgentContext context) => _seen.Enqueue(message);
}

/// <summary>A runtime for one test, shut down off the worker threads.</summary>
public sealed class Harness : IAsyncDisposable
{
    private static readonly AgentType s_type = AgentType.Register("orchestration-test");
    private uint _nextKey;

    public Harness(bool asyncContinuations = true, Action<DeadLetter>? onDeadLetter = null)
    {
        Runtime = new AgentRuntime(new RuntimeOptions
        {
            Workers = 2,
            SendTimeout = TimeSpan.FromSeconds(30),
            DefaultAskTimeout = TimeSpan.FromSeconds(30),
            RunAskContinuationsAsynchronously = asyncContinuations,
            OnDeadLetter = onDeadLetter,
        });
    }

    public AgentRuntime Runtime { get; }

    public StepLog Log { get; } = new();

    public AgentId Spawn(Func<Agent> factory, AgentOptions? options = null) => Runtime.Spawn(s_type, ++_nextKey, factory, options);

    public AgentId Echo(string tag) => Spawn(() => new EchoAgent(tag, Log));

    public AgentId Flaky(string tag, int failures, bool throws = false) => Spawn(() => new FlakyAgent(tag, failures, throws, Log));

    public AgentId Silent(string tag) => Spawn(() => new SilentAgent(tag, Log));

    /// <summary>An id no agent has.</summary>
    public static AgentId Missing => s_type[uint.MaxValue];

    public Orchestrator Orchestrator(OrchestratorOptions? options = null) => new(Runtime, options);

    public async ValueTask DisposeAsync() =>
        await Task.Run(() => Runtime.ShutdownAsync(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
}

/// <summary>Bounded waits: generous deadlines that only a hang reaches.</summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static void True(Func<bool> condition, string failure)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Deadline)
            {
                Assert.Fail($"Timed out after {Deadline.TotalSeconds:0} s: {failure}");
            }

            Thread.Sleep(1);
        }
    }

    public static async Task<T> Within<T>(Task<T> task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(Deadline)).ConfigureAwait(false) != task)
        {
            Assert.Fail($"Timed out waiting for {what}.");
        }

        return await task.ConfigureAwait(false);
    }

    public static async Task Within(Task task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(Deadline)).ConfigureAwait(false) != task)
        {
            Assert.Fail($"Timed out waiting for {what}.");
        }

        await task.ConfigureAwait(false);
    }
}
