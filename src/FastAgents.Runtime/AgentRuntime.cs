using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Internal;
using FastAgents.Runtime.Remote;

namespace FastAgents.Runtime;

/// <summary>
/// The in-process agent runtime: workers (one thread each) that own agents and drain their inboxes, a registry
/// of agents with capabilities, topics, asks, supervision, dead letters and metrics. Create one per process
/// (or per test), spawn agents, send to them, and shut it down with <see cref="ShutdownAsync"/>.
/// </summary>
/// <remarks>
/// The methods here send from outside any agent (any thread). Inside a handler, use the
/// <see cref="AgentContext"/> instead: its sends are batched per worker and cheaper.
/// </remarks>
public sealed partial class AgentRuntime : IAsyncDisposable, IDisposable
{
    private static readonly ActivitySource s_activities = new("FastAgents");

    private readonly Worker[] _workers;
    private readonly ConcurrentDictionary<ulong, AgentCell> _agents = new();
    private readonly ConcurrentDictionary<ulong, CellGroup> _capabilities = new();
    private readonly ConcurrentDictionary<ulong, CellGroup> _topics = new();
    private readonly ConcurrentDictionary<uint, CellGroup> _types = new();
    private readonly AskTable _asks;
    private readonly PriorityQueue<byte[], long> _retries = new(); // whole frames, by due time; each names its target
    private readonly Lock _retryLock = new();
    private readonly Thread _housekeeper;
    private readonly Lock _shutdownLock = new();
    private Task<ShutdownReport>? _shutdown;
    private volatile bool _shuttingDown;
    private volatile bool _ended;
    private AgentCell? _lastExternalTarget;
    private Clock _clock;

    /// <summary>Creates the runtime and starts its workers.</summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public AgentRuntime(RuntimeOptions? options = null)
    {
        Options = options ?? new RuntimeOptions();
        Options.Validate();
        _clock.NowMs = Environment.TickCount64;
        _asks = new AskTable(Options.MaxPendingAsks);
        DeadLetters = new DeadLetterOffice(Options, _asks);
        _workers = new Worker[Options.Workers];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(this, i, _workers.Length);
        }

        foreach (Worker worker in _workers)
        {
            worker.Connect(_workers);
        }

        Metrics = new RuntimeMetrics(this);
        foreach (Worker worker in _workers)
        {
            worker.Start();
        }

        _housekeeper = new Thread(Housekeep) { IsBackground = true, Name = $"{Options.Name}-housekeeper" };
        _housekeeper.Start();
    }

    /// <summary>The settings in effect.</summary>
    public RuntimeOptions Options { get; }

    /// <summary>Undeliverable messages: counts by reason and the most recent ones.</summary>
    public DeadLetterOffice DeadLetters { get; }

    /// <summary>Number of workers.</summary>
    public int WorkerCount => _workers.Length;

    /// <summary>Asks waiting for a reply.</summary>
    public int PendingAsks => _asks.PendingCount;

    /// <summary>Envelopes sent so far (from agents and from outside).</summary>
    public long MessagesSent
    {
        get
        {
            long total = 0;
            foreach (Worker worker in _workers)
            {
                total += worker.Sent + worker.ExternalClaims;
            }

            return total;
        }
    }

    /// <summary>Envelopes whose handler completed so far.</summary>
    public long MessagesHandled
    {
        get
        {
            long total = 0;
            foreach (Worker worker in _workers)
            {
                total += worker.Handled;
            }

            return total;
        }
    }

    /// <summary>Handler exceptions so far.</summary>
    public long HandlerFaults
    {
        get
        {
            long total = 0;
            foreach (Worker worker in _workers)
            {
                total += worker.Faults;
            }

            return total;
        }
    }

    internal RuntimeMetrics Metrics { get; }

    /// <summary>
    /// Milliseconds on the <see cref="Environment.TickCount64"/> clock, refreshed by the housekeeper every
    /// millisecond: one load instead of a clock read on paths that need only millisecond precision.
    /// </summary>
    internal long NowMs => Volatile.Read(ref _clock.NowMs);

    internal Worker[] Workers => _workers;

    // ---- agents --------------------------------------------------------------------------------------------------

    /// <summary>
    /// Creates agent <paramref name="key"/> of <paramref name="type"/> with <paramref name="factory"/> (called now,
    /// and again on each restart) and places it on a worker. Its OnStart runs on that worker before its first message.
    /// </summary>
    /// <returns>The agent's id.</returns>
    /// <exception cref="InvalidOperationException">A running agent has that id, or the runtime is shutting down.</exception>
    public AgentId Spawn(AgentType type, uint key, Func<Agent> factory, AgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (_shuttingDown)
        {
            throw new InvalidOperationException("The runtime is shutting down; it spawns no more agents.");
        }

        options ??= new AgentOptions();
        Worker worker = PlaceAgent(options);
        var id = new AgentId(type, key);
        var cell = new AgentCell(id, worker, _workers.Length, factory, options);
        while (!_agents.TryAdd(id.Value, cell))
        {
            if (_agents.TryGetValue(id.Value, out AgentCell? existing))
            {
                if (Volatile.Read(ref existing.State) != AgentCell.Stopped)
                {
                    throw new InvalidOperationException($"Agent {id} already exists.");
                }

                if (_agents.TryUpdate(id.Value, cell, existing))
                {
                    break;
                }
            }
        }

        Interlocked.Increment(ref worker.AgentCount);
        GroupFor(_types, type.Id).Add(cell);
        foreach (Capability capability in options.Capabilities)
        {
            GroupFor(_capabilities, capability.Id).Add(cell);
        }

        worker.ScheduleStart(cell);
        Link?.OnAgentAdded(id, options.Capabilities);
        return id;
    }

    /// <summary>Creates agent <paramref name="key"/> of <paramref name="type"/> with <c>new TAgent()</c>.</summary>
    /// <inheritdoc cref="Spawn(AgentType, uint, Func{Agent}, AgentOptions?)"/>
    public AgentId Spawn<TAgent>(AgentType type, uint key, AgentOptions? options = null)
        where TAgent : Agent, new() => Spawn(type, key, static () => new TAgent(), options);

    /// <summary>
    /// Spawns <paramref name="count"/> agents of <paramref name="type"/> (keys 0 to count - 1) spread over the
    /// workers, each with capability <paramref name="pool"/>: <see cref="TellAny{T}"/> and <see cref="AskAnyAsync{TRequest, TReply}"/>
    /// to the pool go to its least busy member.
    /// </summary>
    /// <returns>The members' ids.</returns>
    public AgentId[] SpawnPool(AgentType type, int count, Func<Agent> factory, Capability pool, AgentOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        options ??= new AgentOptions();
        options = options with { Capabilities = [.. options.Capabilities, pool] };
        var ids = new AgentId[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = Spawn(type, (uint)i, factory, options);
        }

        return ids;
    }

    /// <summary>
    /// Asks agent <paramref name="id"/> to stop: it handles what was sent to it before, runs OnStop, and from then on
    /// its messages go to dead letters and asks waiting on it fail.
    /// </summary>
    /// <returns>False when there is no such running agent, or its inbox stayed full for <see cref="RuntimeOptions.SendTimeout"/>.</returns>
    public bool Stop(AgentId id)
    {
        AgentCell? cell = Find(id);
        if (cell is null || Volatile.Read(ref cell.State) != AgentCell.Running)
        {
            return false;
        }

        if (cell.Worker.IsCurrentThread)
        {
            cell.Worker.StopOnThisThread(cell);
            return true;
        }

        byte none = 0;
        return PostExternal(cell, MessageKind.Stop, Priority.Low, 0, in none, Backpressure.Wait, allowDuringShutdown: true) == SendStatus.Sent;
    }

    /// <summary>Subscribes agent <paramref name="id"/> to <paramref name="topic"/>.</summary>
    /// <exception cref="ArgumentException">There is no such agent.</exception>
    public void Subscribe(AgentId id, Topic topic)
    {
        AgentCell cell = Find(id) ?? throw new ArgumentException($"No agent {id} exists.", nameof(id));
        GroupFor(_topics, topic.Id).Add(cell);
        Link?.OnSubscribed(id, topic.Id);
    }

    /// <summary>Removes agent <paramref name="id"/>'s subscription to <paramref name="topic"/>.</summary>
    /// <returns>False when it was not subscribed.</returns>
    public bool Unsubscribe(AgentId id, Topic topic)
    {
        if (!_topics.TryGetValue(topic.Id, out CellGroup? group) || !group.Remove(id))
        {
            return false;
        }

        Link?.OnUnsubscribed(id, topic.Id);
        return true;
    }

    // ---- sends from outside agents -------------------------------------------------------------------------------

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> from outside any agent.</summary>
    /// <exception cref="InboxFullException">The inbox stayed full and the policy is Wait or FailFast.</exception>
    /// <returns>Sent, or why not (unknown and stopped targets are dead-lettered, not thrown).</returns>
    public SendStatus Tell<T>(AgentId target, in T message, Priority priority = Priority.Normal, Backpressure? backpressure = null) =>
        SendExternal(target, MessageKind.Tell, priority, 0, in message, backpressure, throwWhenFull: true);

    /// <summary>Sends without waiting and without throwing when the inbox is full.</summary>
    /// <returns><see cref="SendStatus.Full"/> when there was no room (nothing sent); otherwise as <see cref="Tell{T}"/>.</returns>
    public SendStatus TryTell<T>(AgentId target, in T message, Priority priority = Priority.Normal) =>
        SendExternal(target, MessageKind.Tell, priority, 0, in message, Backpressure.FailFast, throwWhenFull: false);

    /// <summary>Sends to the least busy running agent with <paramref name="capability"/>.</summary>
    /// <returns>Sent, or <see cref="SendStatus.NoSuchAgent"/> when no running agent has it.</returns>
    public SendStatus TellAny<T>(Capability capability, in T message, Priority priority = Priority.Normal, Backpressure? backpressure = null)
    {
        AgentCell? cell = PickLeastBusy(capability);
        if (cell is null)
        {
            if (Link is { } link)
            {
                return SendRemoteExternal(link, new AgentId(capability.Id), MessageKind.Tell, priority, 0, EnvelopeFlags.AnyOf, in message, backpressure, throwWhenFull: true);
            }

            return Refuse(new AgentId(capability.Id), MessageKind.Tell, priority, 0, AgentId.None, in message, DeadLetterReason.NoSuchAgent, SendStatus.NoSuchAgent);
        }

        return SendExternalTo(cell, MessageKind.Tell, priority, 0, in message, backpressure, throwWhenFull: true);
    }

    /// <summary>Publishes <paramref name="message"/> to every subscriber of <paramref name="topic"/>.</summary>
    /// <returns>The number of subscribers it was sent to.</returns>
    public int Publish<T>(Topic topic, in T message, Priority priority = Priority.Normal)
    {
        int sent = 0;
        foreach (AgentCell cell in SubscribersOf(topic))
        {
            if (SendExternalTo(cell, MessageKind.Publish, priority, topic.Id, in message, null, throwWhenFull: true) == SendStatus.Sent)
            {
                sent++;
            }
        }

        if (Link is { } link)
        {
            // One copy for the router, which fans it out to the subscribers in other processes.
            SendRemoteExternal(link, AgentId.None, MessageKind.Publish, priority, topic.Id, EnvelopeFlags.None, in message, null, throwWhenFull: true);
        }

        return sent;
    }

    /// <summary>Sends <paramref name="message"/> to every running agent with <paramref name="capability"/>.</summary>
    /// <returns>The number of agents it was sent to.</returns>
    public int Broadcast<T>(Capability capability, in T message, Priority priority = Priority.Normal) =>
        BroadcastTo(MembersOf(capability), in message, priority);

    /// <summary>Sends <paramref name="message"/> to every running agent of <paramref name="type"/>.</summary>
    /// <returns>The number of agents it was sent to.</returns>
    public int Broadcast<T>(AgentType type, in T message, Priority priority = Priority.Normal) =>
        BroadcastTo(AgentsOfType(type), in message, priority);

    /// <summary>
    /// Asks <paramref name="target"/> and waits for its reply without allocating: the result comes from a pooled
    /// completion source. Await the returned task exactly once.
    /// </summary>
    /// <param name="target">The agent to ask; its handler answers with <see cref="AgentContext.Reply{T}"/>.</param>
    /// <param name="request">The request.</param>
    /// <param name="timeout">How long to wait; null for <see cref="RuntimeOptions.DefaultAskTimeout"/>.</param>
    /// <param name="priority">The request's lane.</param>
    /// <returns>The reply. Fails with <see cref="AskTimeoutException"/> after the timeout, with
    /// <see cref="UndeliverableException"/> at once when the target does not exist, is stopped, stops before
    /// answering, or its handler fails, and with <see cref="InboxFullException"/> when its inbox stays full.</returns>
    public ValueTask<TReply> AskAsync<TRequest, TReply>(AgentId target, in TRequest request, TimeSpan? timeout = null, Priority priority = Priority.Normal)
    {
        AgentCell? cell = FindExternal(target);
        if (cell is null)
        {
            if (Link is { } link)
            {
                return AskCore<TRequest, TReply>(target, null, link, EnvelopeFlags.None, in request, timeout, priority);
            }

            Refuse(target, MessageKind.Ask, priority, 0, AgentId.None, in request, DeadLetterReason.NoSuchAgent, SendStatus.NoSuchAgent);
            return ValueTask.FromException<TReply>(new UndeliverableException(target, DeadLetterReason.NoSuchAgent));
        }

        return AskCell<TRequest, TReply>(cell, in request, timeout, priority);
    }

    /// <summary>Asks the least busy running agent with <paramref name="capability"/>; otherwise as <see cref="AskAsync{TRequest, TReply}"/>.</summary>
    public ValueTask<TReply> AskAnyAsync<TRequest, TReply>(Capability capability, in TRequest request, TimeSpan? timeout = null, Priority priority = Priority.Normal)
    {
        AgentCell? cell = PickLeastBusy(capability);
        if (cell is null)
        {
            var target = new AgentId(capability.Id);
            if (Link is { } link)
            {
                return AskCore<TRequest, TReply>(target, null, link, EnvelopeFlags.AnyOf, in request, timeout, priority);
            }

            Refuse(target, MessageKind.Ask, priority, 0, AgentId.None, in request, DeadLetterReason.NoSuchAgent, SendStatus.NoSuchAgent);
            return ValueTask.FromException<TReply>(new UndeliverableException(target, DeadLetterReason.NoSuchAgent));
        }

        return AskCell<TRequest, TReply>(cell, in request, timeout, priority);
    }

    // ---- registry --------------------------------------------------------------------------------------------

    /// <summary>A snapshot of agent <paramref name="id"/>'s registry entry, or null when there is no such agent.</summary>
    public AgentInfo? GetInfo(AgentId id) => Find(id) is { } cell ? Describe(cell, Environment.TickCount64) : null;

    /// <summary>Snapshots of every agent (stopped ones included until their id is reused).</summary>
    public IReadOnlyList<AgentInfo> Agents()
    {
        long now = Environment.TickCount64;
        var list = new List<AgentInfo>(_agents.Count);
        foreach (AgentCell cell in _agents.Values)
        {
            list.Add(Describe(cell, now));
        }

        return list;
    }

    /// <summary>Snapshots of the running agents that registered <paramref name="capability"/>.</summary>
    public IReadOnlyList<AgentInfo> FindByCapability(Capability capability)
    {
        long now = Environment.TickCount64;
        AgentCell[] members = MembersOf(capability);
        var list = new List<AgentInfo>(members.Length);
        foreach (AgentCell cell in members)
        {
            list.Add(Describe(cell, now));
        }

        return list;
    }

    // ---- shutdown ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Refuses new work from outside agents, lets the workers drain (agents may still send to each other) until
    /// every inbox is empty or <paramref name="deadline"/> passes, then ends the workers. Whatever was not handled is
    /// dead-lettered (reason <see cref="DeadLetterReason.ShuttingDown"/>) and counted in the report; asks still
    /// waiting fail. Calling it again returns the first call's report.
    /// </summary>
    public Task<ShutdownReport> ShutdownAsync(TimeSpan deadline)
    {
        lock (_shutdownLock)
        {
            return _shutdown ??= Task.Run(() => ShutdownCore(deadline));
        }
    }

    /// <summary>Shuts down with a 5-second deadline.</summary>
    public async ValueTask DisposeAsync() => await ShutdownAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);

    /// <summary>Shuts down with a 5-second deadline, blocking the caller.</summary>
    public void Dispose() => ShutdownAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();

    private ShutdownReport ShutdownCore(TimeSpan deadline)
    {
        long started = Stopwatch.GetTimestamp();
        _shuttingDown = true;
        bool drained = false;
        while (Stopwatch.GetElapsedTime(started) < deadline)
        {
            if (IsQuiescent())
            {
                Thread.Sleep(1);
                if (IsQuiescent())
                {
                    drained = true;
                    break;
                }
            }

            Thread.Sleep(1);
        }

        foreach (Worker worker in _workers)
        {
            worker.Exit();
        }

        var stuck = new List<int>();
        long undelivered = 0;
        foreach (Worker worker in _workers)
        {
            TimeSpan left = deadline - Stopwatch.GetElapsedTime(started);
            if (!worker.Join(left > TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100)))
            {
                stuck.Add(worker.Index);
                undelivered += worker.QueueDepth;
            }
            else
            {
                undelivered += worker.DeadLetterLeftovers();
            }
        }

        lock (_retryLock)
        {
            while (_retries.TryDequeue(out byte[]? frame, out _))
            {
                DeadLetters.Post(DeadLetterReason.ShuttingDown, frame, null);
                undelivered++;
            }
        }

        _ended = true;
        int asksFailed = _asks.FailAll(null, static id => new UndeliverableException(id, DeadLetterReason.ShuttingDown));
        _housekeeper.Join(TimeSpan.FromSeconds(1));
        Metrics.Dispose();
        return new ShutdownReport(drained && stuck.Count == 0, undelivered, asksFailed, stuck, Stopwatch.GetElapsedTime(started));
    }

    private bool IsQuiescent()
    {
        foreach (Worker worker in _workers)
        {
            if (!worker.IsWaiting || worker.AnyClaimed())
            {
                return false;
            }
        }

        lock (_retryLock)
        {
            return _retries.Count == 0;
        }
    }

    // ---- internals shared with workers and contexts --------------------------------------------------------------

    internal AgentCell? Find(AgentId id) => _agents.TryGetValue(id.Value, out AgentCell? cell) ? cell : null;

    /// <summary>
    /// Find for sends from outside: callers often send to one agent again and again, so the last cell found is
    /// kept (written only when it changes, so threads sending to one agent share it without contention).
    /// </summary>
    private AgentCell? FindExternal(AgentId id)
    {
        AgentCell? cell = Volatile.Read(ref _lastExternalTarget);
        if (cell is not null && cell.Id == id && Volatile.Read(ref cell.State) != AgentCell.Stopped)
        {
            return cell;
        }

        cell = Find(id);
        if (cell is not null)
        {
            Volatile.Write(ref _lastExternalTarget, cell);
        }

        return cell;
    }

    internal AgentCell[] SubscribersOf(Topic topic) => _topics.TryGetValue(topic.Id, out CellGroup? group) ? group.Members : [];

    internal AgentCell[] MembersOf(Capability capability) => _capabilities.TryGetValue(capability.Id, out CellGroup? group) ? group.Members : [];

    internal AgentCell[] AgentsOfType(AgentType type) => _types.TryGetValue(type.Id, out CellGroup? group) ? group.Members : [];

    /// <summary>
    /// The least busy running member of a capability: smallest queue depth, then not handling a message now;
    /// the scan starts one further each call, so ties go round-robin. Unresponsive members are skipped unless all are.
    /// </summary>
    internal AgentCell? PickLeastBusy(Capability capability) => PickLeastBusy(capability.Id);

    /// <inheritdoc cref="PickLeastBusy(Capability)"/>
    internal AgentCell? PickLeastBusy(ulong capabilityId)
    {
        if (!_capabilities.TryGetValue(capabilityId, out CellGroup? group))
        {
            return null;
        }

        AgentCell[] members = group.Members;
        int n = members.Length;
        if (n == 0)
        {
            return null;
        }

        long now = NowMs;
        int start = (int)((uint)Interlocked.Increment(ref group.Cursor) % (uint)n);
        AgentCell? best = null;
        AgentCell? fallback = null;
        long bestDepth = long.MaxValue;
        int bestBusy = int.MaxValue;
        for (int i = 0; i < n; i++)
        {
            int index = start + i;
            AgentCell cell = members[index >= n ? index - n : index];
            if (Volatile.Read(ref cell.State) != AgentCell.Running)
            {
                continue;
            }

            if (cell.Worker.IsUnresponsive(now))
            {
                fallback ??= cell;
                continue;
            }

            long depth = cell.Backlog;
            int busy = cell.Worker.Current == cell.Id.Value ? 1 : 0;
            if (depth < bestDepth || (depth == bestDepth && busy < bestBusy))
            {
                best = cell;
                bestDepth = depth;
                bestBusy = busy;
            }
        }

        return best ?? fallback;
    }

    internal void CompleteAsk<T>(ulong correlationId, AgentId asker, in T reply)
    {
        _ = asker;
        switch (_asks.TryTake(correlationId))
        {
            case AskOperation<T> op:
                op.SetResult(in reply);
                break;
            case { } other:
                other.SetException(new InvalidCastException(
                    $"The ask expected a {other.ReplyType.Name} reply; the agent replied with a {typeof(T).Name}."));
                break;
            default:
                var header = new EnvelopeHeader { Version = EnvelopeHeader.CurrentVersion, Kind = MessageKind.Reply, CorrelationId = correlationId, PayloadType = MessageType<T>.Id };
                DeadLetters.Post(DeadLetterReason.ReplyToExpiredAsk, in header, in reply, null);
                break;
        }
    }

    internal SendStatus Refuse<T>(AgentId target, MessageKind kind, Priority priority, ulong correlationId, AgentId sender, in T payload, DeadLetterReason reason, SendStatus status)
    {
        var header = new EnvelopeHeader
        {
            Version = EnvelopeHeader.CurrentVersion,
            Kind = kind,
            Priority = (byte)priority,
            CorrelationId = correlationId,
            Sender = sender,
            Target = target,
            PayloadType = MessageType<T>.Id,
        };
        DeadLetters.Post(reason, in header, in payload, null);
        return status;
    }

    internal SendStatus OnFull<T>(AgentId target, MessageKind kind, Priority priority, ulong correlationId, AgentId sender, in T payload, Backpressure backpressure) =>
        backpressure == Backpressure.DropAndCount
            ? Refuse(target, kind, priority, correlationId, sender, in payload, DeadLetterReason.InboxFull, SendStatus.Dropped)
            : SendStatus.Full;

    internal void OnStopped(AgentCell cell)
    {
        foreach (CellGroup group in _capabilities.Values)
        {
            group.Remove(cell.Id);
        }

        foreach (CellGroup group in _topics.Values)
        {
            group.Remove(cell.Id);
        }

        if (_types.TryGetValue(cell.Id.TypeId, out CellGroup? type))
        {
            type.Remove(cell.Id);
        }

        _asks.FailAll(cell, static id => new UndeliverableException(id, DeadLetterReason.AgentStopped));
        Link?.OnAgentRemoved(cell.Id);
    }

    internal void ScheduleRetry(byte[] frame, TimeSpan delay)
    {
        lock (_retryLock)
        {
            _retries.Enqueue(frame, Environment.TickCount64 + (long)Math.Ceiling(delay.TotalMilliseconds));
        }
    }

    /// <summary>Waits for room in a full lane until <paramref name="timeout"/>: spins briefly, then yields, then sleeps.</summary>
    internal static bool WaitForRoom(Lane lane, TimeSpan timeout, out long sequence)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var spinner = new SpinWait();
        while (!lane.Sequencer.TryNext(out sequence))
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            spinner.SpinOnce(sleep1Threshold: 40);
        }

        return true;
    }

    internal static long UnixNanoseconds() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    internal static Activity? StartHandleActivity(Lane lane, long sequence, in EnvelopeHeader header)
    {
        if (!s_activities.HasListeners())
        {
            return null;
        }

        ActivityContext parent = Unsafe.As<byte, TraceSection>(ref Unsafe.Add(ref lane.Slot(sequence), EnvelopeHeader.Size)).Context;
        Activity? activity = s_activities.StartActivity("fastagents.handle", ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("fastagents.target", header.Target.ToString());
            activity.SetTag("fastagents.kind", header.Kind.ToString());
        }

        return activity;
    }

    private ValueTask<TReply> AskCell<TRequest, TReply>(AgentCell cell, in TRequest request, TimeSpan? timeout, Priority priority) =>
        AskCore<TRequest, TReply>(cell.Id, cell, null, EnvelopeFlags.None, in request, timeout, priority);

    /// <summary>
    /// An ask from outside any agent, to a local agent (<paramref name="cell"/>) or through <paramref name="link"/>
    /// to a remote one: the entry in the ask table is owned by whichever of the two it went to, so that the agent's
    /// stop or the link's loss fails it.
    /// </summary>
    private ValueTask<TReply> AskCore<TRequest, TReply>(AgentId target, AgentCell? cell, RuntimeLink? link, EnvelopeFlags flags, in TRequest request, TimeSpan? timeout, Priority priority)
    {
        TimeSpan wait = timeout ?? Options.DefaultAskTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        if (link is not null && _shuttingDown)
        {
            return ValueTask.FromException<TReply>(new UndeliverableException(target, DeadLetterReason.ShuttingDown));
        }

        long deadline = NowMs + (long)Math.Ceiling(wait.TotalMilliseconds);
        if (!_asks.TryAdd(target, (object?)cell ?? link!, deadline, wait, Options.RunAskContinuationsAsynchronously, out AskOperation<TReply>? op, out ulong correlation))
        {
            return ValueTask.FromException<TReply>(new InvalidOperationException(
                $"{Options.MaxPendingAsks} asks are already waiting for replies (RuntimeOptions.MaxPendingAsks)."));
        }

        short version = op!.Version;
        SendStatus status;
        try
        {
            if (cell is not null)
            {
                status = SendExternalTo(cell, MessageKind.Ask, priority, correlation, in request, null, throwWhenFull: false);
            }
            else
            {
                ActivityContext trace = Options.PropagateTraceContext && Activity.Current is { } activity ? activity.Context : default;
                status = SendRemote(link!, target, MessageKind.Ask, priority, correlation, link!.NodeAgent, flags, in request, Backpressure.Wait, trace);
            }
        }
        catch (Exception ex)
        {
            if (_asks.TryTake(correlation) is { } taken)
            {
                taken.SetException(ex);
            }

            return new ValueTask<TReply>(op, version);
        }

        if (status is SendStatus.Full && _asks.TryTake(correlation) is { } full)
        {
            full.SetException(new InboxFullException(target, priority, Options.SendTimeout));
        }

        // Other refusals were dead-lettered, which failed the ask with the reason.
        return new ValueTask<TReply>(op, version);
    }

    private int BroadcastTo<T>(AgentCell[] cells, in T message, Priority priority)
    {
        int sent = 0;
        foreach (AgentCell cell in cells)
        {
            if (Volatile.Read(ref cell.State) == AgentCell.Running
                && SendExternalTo(cell, MessageKind.Tell, priority, 0, in message, null, throwWhenFull: true) == SendStatus.Sent)
            {
                sent++;
            }
        }

        return sent;
    }

    private SendStatus SendExternal<T>(AgentId target, MessageKind kind, Priority priority, ulong correlation, in T message, Backpressure? backpressure, bool throwWhenFull)
    {
        AgentCell? cell = FindExternal(target);
        if (cell is null)
        {
            if (Link is { } link && !target.IsNone)
            {
                return SendRemoteExternal(link, target, kind, priority, correlation, EnvelopeFlags.None, in message, backpressure, throwWhenFull);
            }

            return Refuse(target, kind, priority, correlation, AgentId.None, in message, DeadLetterReason.NoSuchAgent, SendStatus.NoSuchAgent);
        }

        return SendExternalTo(cell, kind, priority, correlation, in message, backpressure, throwWhenFull);
    }

    private SendStatus SendExternalTo<T>(AgentCell cell, MessageKind kind, Priority priority, ulong correlation, in T message, Backpressure? backpressure, bool throwWhenFull)
    {
        Backpressure mode = backpressure ?? cell.Backpressure;
        SendStatus status = PostExternal(cell, kind, priority, correlation, in message, mode, allowDuringShutdown: false);
        if (status == SendStatus.Full && throwWhenFull)
        {
            throw new InboxFullException(cell.Id, priority, mode == Backpressure.Wait ? Options.SendTimeout : TimeSpan.Zero);
        }

        return status;
    }

    private SendStatus PostExternal<T>(AgentCell cell, MessageKind kind, Priority priority, ulong correlation, in T message, Backpressure backpressure, bool allowDuringShutdown)
    {
        if ((uint)priority > (uint)Priority.Low)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "Priority is High, Normal or Low.");
        }

        if (_shuttingDown && !allowDuringShutdown)
        {
            return Refuse(cell.Id, kind, priority, correlation, AgentId.None, in message, DeadLetterReason.ShuttingDown, SendStatus.ShuttingDown);
        }

        if (Volatile.Read(ref cell.State) != AgentCell.Running)
        {
            return Refuse(cell.Id, kind, priority, correlation, AgentId.None, in message, DeadLetterReason.AgentStopped, SendStatus.Stopped);
        }

        Lane lane = cell.Worker.ExternalLane(priority);
        if (!lane.Sequencer.TryNext(out long sequence)
            && (backpressure != Backpressure.Wait || !WaitForRoom(lane, Options.SendTimeout, out sequence)))
        {
            return OnFull(cell.Id, kind, priority, correlation, AgentId.None, in message, backpressure);
        }

        Activity? activity = Options.PropagateTraceContext ? Activity.Current : null;
        WriteOutside(lane, sequence, kind, priority, correlation, AgentId.None, cell.Id, EnvelopeFlags.None, activity is not null, activity?.Context ?? default, in message);
        cell.CountExternalSend();
        lane.Sequencer.Publish(sequence);
        return SendStatus.Sent;
    }

    /// <summary>
    /// Delivers a whole envelope frame (header, trace section, payload: the wire bytes) to its target through the
    /// target's outside lane, as a retry does (frames from other processes go through DeliverRemote). The frame is
    /// checked first; its payload is not (the handler's message type reads it, and a payload it cannot read is
    /// dead-lettered as malformed).
    /// </summary>
    /// <exception cref="ArgumentException">The frame is shorter than its header, its version is unknown, its kind is
    /// not one of the five, or its lengths disagree with its size.</exception>
    internal SendStatus DeliverFrame(ReadOnlySpan<byte> frame)
    {
        EnvelopeHeader source = ValidateFrame(frame);
        AgentCell? cell = Find(source.Target);
        if (cell is null)
        {
            DeadLetters.Post(DeadLetterReason.NoSuchAgent, frame.ToArray(), null);
            return SendStatus.NoSuchAgent;
        }

        return Enqueue(cell, frame, in source, source.Target, EnvelopeFlags.None, EnvelopeFlags.None);
    }

    /// <summary>Checks a frame's header against its size; returns the header.</summary>
    /// <exception cref="ArgumentException">The frame is shorter than its header, its version is unknown, its kind is
    /// not one of the five, or its lengths disagree with its size.</exception>
    internal static EnvelopeHeader ValidateFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < EnvelopeHeader.Size)
        {
            throw new ArgumentException($"A frame has at least {EnvelopeHeader.Size} bytes; this one has {frame.Length}.", nameof(frame));
        }

        EnvelopeHeader source = MemoryMarshal.Read<EnvelopeHeader>(frame);
        int offset = source.PayloadOffset;
        if (source.Version != EnvelopeHeader.CurrentVersion)
        {
            throw new ArgumentException($"Envelope version {source.Version} is not {EnvelopeHeader.CurrentVersion}.", nameof(frame));
        }

        if (source.Kind is MessageKind.None or > MessageKind.Stop)
        {
            throw new ArgumentException($"Envelope kind {(byte)source.Kind} is unknown.", nameof(frame));
        }

        if (source.Length != frame.Length || (long)offset + source.PayloadLength != frame.Length)
        {
            throw new ArgumentException(
                $"The frame has {frame.Length} bytes; its header says {source.Length} in all and {source.PayloadLength} of payload after {offset}.", nameof(frame));
        }

        return source;
    }

    /// <summary>
    /// Copies a checked frame into <paramref name="cell"/>'s outside lane, addressed to <paramref name="target"/>,
    /// with flags set and cleared as given (a frame from a link is marked Remote; a capability send gets its agent).
    /// </summary>
    internal SendStatus Enqueue(AgentCell cell, ReadOnlySpan<byte> frame, in EnvelopeHeader source, AgentId target, EnvelopeFlags set, EnvelopeFlags clear)
    {
        if (Volatile.Read(ref cell.State) != AgentCell.Running)
        {
            PostFrame(DeadLetterReason.AgentStopped, frame, set);
            return SendStatus.Stopped;
        }

        int offset = source.PayloadOffset;
        Lane lane = cell.Worker.ExternalLane((Priority)Math.Min(source.Priority, (byte)Priority.Low));
        if (!lane.Sequencer.TryNext(out long sequence) && !WaitForRoom(lane, Options.SendTimeout, out sequence))
        {
            PostFrame(DeadLetterReason.InboxFull, frame, set);
            return SendStatus.Dropped;
        }

        ref byte slot = ref lane.Slot(sequence);
        frame[..offset].CopyTo(MemoryMarshal.CreateSpan(ref slot, offset));
        ref EnvelopeHeader header = ref lane.Header(sequence);
        header.Target = target;
        ReadOnlySpan<byte> payload = frame[offset..];
        if (offset + payload.Length <= Lane.SlotSize)
        {
            payload.CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref slot, offset), payload.Length));
            header.Flags = (header.Flags & ~(EnvelopeFlags.Overflow | clear)) | set;
        }
        else
        {
            byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(payload.Length);
            payload.CopyTo(buffer);
            lane.SetOverflow(sequence, buffer);
            header.Flags = (header.Flags & ~clear) | set | EnvelopeFlags.Overflow;
        }

        cell.CountExternalSend();
        lane.Sequencer.Publish(sequence);
        return SendStatus.Sent;
    }

    /// <summary>Dead-letters a copy of a frame, with <paramref name="set"/> added to its flags.</summary>
    internal void PostFrame(DeadLetterReason reason, ReadOnlySpan<byte> frame, EnvelopeFlags set)
    {
        byte[] copy = frame.ToArray();
        Unsafe.As<byte, EnvelopeHeader>(ref copy[0]).Flags |= set;
        DeadLetters.Post(reason, copy, null);
    }

    private Worker PlaceAgent(AgentOptions options)
    {
        if (options.Worker is int index)
        {
            if ((uint)index >= (uint)_workers.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(options), index, $"Worker must be between 0 and {_workers.Length - 1}.");
            }

            return _workers[index];
        }

        Worker best = _workers[0];
        foreach (Worker worker in _workers)
        {
            if (Volatile.Read(ref worker.AgentCount) < Volatile.Read(ref best.AgentCount))
            {
                best = worker;
            }
        }

        return best;
    }

    private static AgentInfo Describe(AgentCell cell, long now)
    {
        int state = Volatile.Read(ref cell.State);
        AgentStatus status = state switch
        {
            AgentCell.Stopped => AgentStatus.Stopped,
            AgentCell.Stopping or AgentCell.Ending => AgentStatus.Stopping,
            _ when cell.Worker.IsUnresponsive(now) => AgentStatus.Unresponsive,
            _ when cell.Worker.Current == cell.Id.Value => AgentStatus.Busy,
            _ => AgentStatus.Idle,
        };
        DateTimeOffset heartbeat = DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(Math.Max(0, now - cell.Worker.LastHeartbeatMs));
        return new AgentInfo(
            cell.Id,
            status,
            cell.Worker.Index,
            cell.Options.Capabilities,
            cell.Enqueued,
            Volatile.Read(ref cell.Stats.Handled),
            Volatile.Read(ref cell.Stats.Faults),
            cell.Backlog,
            heartbeat,
            Volatile.Read(ref cell.LastError));
    }

    private static CellGroup GroupFor<TKey>(ConcurrentDictionary<TKey, CellGroup> groups, TKey key)
        where TKey : notnull => groups.GetOrAdd(key, static _ => new CellGroup());

    private void Housekeep()
    {
        var due = new List<byte[]>();
        Action<AgentId, AskOperation, TimeSpan> expire = (target, op, timeout) =>
        {
            op.SetException(new AskTimeoutException(target, op.ReplyType, timeout));
            Metrics.AskTimedOut();
        };
        while (!_ended)
        {
            Thread.Sleep(1);
            long now = Environment.TickCount64;
            Volatile.Write(ref _clock.NowMs, now);
            _asks.ExpireDue(now, expire);
            lock (_retryLock)
            {
                while (_retries.TryPeek(out _, out long when) && when <= now)
                {
                    due.Add(_retries.Dequeue());
                }
            }

            foreach (byte[] frame in due)
            {
                DeliverFrame(frame); // the frame names its target
            }

            due.Clear();
        }
    }

    /// <summary>A copy-on-write set of cells: readers take the array without a lock.</summary>
    internal sealed class CellGroup
    {
        private readonly Lock _lock = new();

        public AgentCell[] Members = [];

        public int Cursor;

        public void Add(AgentCell cell)
        {
            lock (_lock)
            {
                foreach (AgentCell member in Members)
                {
                    if (member == cell)
                    {
                        return;
                    }
                }

                Volatile.Write(ref Members, [.. Members, cell]);
            }
        }

        public bool Remove(AgentId id)
        {
            lock (_lock)
            {
                int index = Array.FindIndex(Members, m => m.Id == id);
                if (index < 0)
                {
                    return false;
                }

                AgentCell[] next = new AgentCell[Members.Length - 1];
                Array.Copy(Members, 0, next, 0, index);
                Array.Copy(Members, index + 1, next, index, Members.Length - index - 1);
                Volatile.Write(ref Members, next);
                return true;
            }
        }
    }
}

/// <summary>A clock value on a cache line of its own (read by every worker, written by the housekeeper).</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct Clock
{
    [FieldOffset(64)]
    public long NowMs;
}

/// <summary>What <see cref="AgentRuntime.ShutdownAsync"/> achieved.</summary>
/// <param name="Drained">Every inbox was empty before the deadline and every worker ended.</param>
/// <param name="Undelivered">Envelopes not handled (dead-lettered with reason ShuttingDown where the worker ended).</param>
/// <param name="AsksFailed">Asks still waiting, failed with reason ShuttingDown.</param>
/// <param name="StuckWorkers">Workers whose thread did not end (a handler that never returns).</param>
/// <param name="Elapsed">How long the shutdown took.</param>
public sealed record ShutdownReport(bool Drained, long Undelivered, int AsksFailed, IReadOnlyList<int> StuckWorkers, TimeSpan Elapsed);
