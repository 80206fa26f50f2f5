using System.Collections.Concurrent;
using System.Diagnostics;
using FastAgents.Serialization;
using Xunit;

namespace FastAgents.Runtime.Tests;

// ---- messages ----------------------------------------------------------------------------------------------------

/// <summary>A numbered message (unmanaged: the zero-allocation raw-copy path).</summary>
public readonly record struct Num(int Value);

/// <summary>Message <paramref name="N"/> of sender <paramref name="Source"/>'s sequence.</summary>
public readonly record struct Seq(int Source, int N);

/// <summary>Blocks the receiving handler on its probe's gate (and so the whole worker).</summary>
public readonly record struct Hold(int Tag);

/// <summary>A request; responders answer with <see cref="Answer"/>.</summary>
public readonly record struct Question(int Value);

/// <summary>The answer to a <see cref="Question"/>.</summary>
public readonly record struct Answer(int Value, uint ResponderKey);

/// <summary>A type that no test agent handles.</summary>
public readonly record struct Unhandled(long Value);

/// <summary>Tells an agent to start (or continue) its work.</summary>
public readonly record struct Go(int Round);

/// <summary>A class message with a string: goes through the serializer (and, when large, an overflow buffer).</summary>
[FastMessage]
public sealed partial class Note
{
    public int Id { get; set; }

    public string? Text { get; set; }
}

/// <summary>What a recorder saw for one message.</summary>
public readonly record struct Seen(int Value, MessageKind Kind, AgentId Sender, AgentId Self, ulong CorrelationId, Priority Priority, int Worker);

// ---- helpers -----------------------------------------------------------------------------------------------------

/// <summary>Bounded waits: poll a condition until a generous deadline, then fail with a message.</summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static void True(Func<bool> condition, string failure, TimeSpan? deadline = null)
    {
        var watch = Stopwatch.StartNew();
        TimeSpan limit = deadline ?? Deadline;
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:0} s: {failure}");
            }

            Thread.Sleep(1);
        }
    }

    public static async Task<T> Within<T>(ValueTask<T> task, string what, TimeSpan? deadline = null)
    {
        Task<T> t = task.AsTask();
        Task winner = await Task.WhenAny(t, Task.Delay(deadline ?? Deadline));
        if (winner != t)
        {
            Assert.Fail($"Timed out waiting for {what}.");
        }

        return await t;
    }

    public static async Task<TException> Fails<TException>(Task task, string what, TimeSpan? deadline = null)
        where TException : Exception
    {
        Task winner = await Task.WhenAny(task, Task.Delay(deadline ?? Deadline));
        if (winner != task)
        {
            Assert.Fail($"Timed out waiting for {what} to fail.");
        }

        return await Assert.ThrowsAsync<TException>(() => task);
    }
}

/// <summary>Blocks a handler until the test releases it; the test can wait until the handler is inside.</summary>
public sealed class Gate : IDisposable
{
    private readonly ManualResetEventSlim _entered = new(false);
    private readonly ManualResetEventSlim _release = new(false);
    private int _entries;

    public int Entries => Volatile.Read(ref _entries);

    /// <summary>Called by the handler: signals entry and blocks (at most a minute, so a broken test cannot hang the run).</summary>
    public void Enter()
    {
        Interlocked.Increment(ref _entries);
        _entered.Set();
        _release.Wait(TimeSpan.FromSeconds(60));
    }

    public void WaitEntered()
    {
        if (!_entered.Wait(Eventually.Deadline))
        {
            Assert.Fail("The blocking handler was never entered.");
        }
    }

    public void Release() => _release.Set();

    public void Dispose()
    {
        _release.Set();
        _entered.Dispose();
        _release.Dispose();
    }
}

/// <summary>What the shared test agents record, read by the test thread.</summary>
public sealed class Probe : IDisposable
{
    private int _count;
    private int _starts;
    private int _stops;
    private int _factories;

    public Gate Gate { get; } = new();

    public ConcurrentQueue<Seen> Log { get; } = new();

    public ConcurrentQueue<Note> Notes { get; } = new();

    public int Count => Volatile.Read(ref _count);

    public int Starts => Volatile.Read(ref _starts);

    public int Stops => Volatile.Read(ref _stops);

    public int Factories => Volatile.Read(ref _factories);

    /// <summary>Handled-message count seen by OnStop (-1 before it ran).</summary>
    public int CountAtStop { get; set; } = -1;

    public void Record(in Seen seen)
    {
        Log.Enqueue(seen);
        Interlocked.Increment(ref _count);
    }

    public void Started() => Interlocked.Increment(ref _starts);

    public void Stopped()
    {
        CountAtStop = Count;
        Interlocked.Increment(ref _stops);
    }

    public void Created() => Interlocked.Increment(ref _factories);

    public void WaitForCount(int expected, string what)
    {
        Eventually.True(() => Count >= expected, $"{what}: expected {expected} messages, saw {Count}.");
    }

    public Seen[] Snapshot() => [.. Log];

    public void Dispose() => Gate.Dispose();
}

/// <summary>
/// Records every <see cref="Num"/> and <see cref="Note"/>, blocks on <see cref="Hold"/>, answers <see cref="Question"/>
/// with twice the value, and counts its starts and stops.
/// </summary>
public sealed class RecorderAgent : Agent, IHandle<Num>, IHandle<Hold>, IHandle<Question>, IHandle<Note>
{
    private readonly Probe _probe;

    public RecorderAgent(Probe probe)
    {
        _probe = probe;
        probe.Created();
    }

    protected internal override void Configure(HandlerMap handlers) =>
        handlers.Add<Num>(this).Add<Hold>(this).Add<Question>(this).Add<Note>(this);

    protected internal override void OnStart(AgentContext context) => _probe.Started();

    protected internal override void OnStop(AgentContext context) => _probe.Stopped();

    public void Handle(in Num message, AgentContext context) =>
        _probe.Record(new Seen(message.Value, context.Kind, context.Sender, context.Self, context.CorrelationId, context.Priority, context.WorkerIndex));

    public void Handle(in Hold message, AgentContext context) => _probe.Gate.Enter();

    public void Handle(in Question message, AgentContext context) => context.Reply(new Answer(message.Value * 2, context.Self.Key));

    public void Handle(in Note message, AgentContext context)
    {
        _probe.Notes.Enqueue(message);
        _probe.Record(new Seen(message.Id, context.Kind, context.Sender, context.Self, context.CorrelationId, context.Priority, context.WorkerIndex));
    }
}

/// <summary>Test-wide options: a generous send timeout so a loaded machine never turns a wait into a failure.</summary>
public static class TestOptions
{
    public static RuntimeOptions Default(int workers = 2) => new()
    {
        Workers = workers,
        SendTimeout = TimeSpan.FromSeconds(30),
        DefaultAskTimeout = TimeSpan.FromSeconds(30),
    };
}
