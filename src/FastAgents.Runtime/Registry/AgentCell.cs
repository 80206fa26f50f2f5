using System.Runtime.InteropServices;

namespace FastAgents.Runtime.Internal;

/// <summary>
/// The runtime's record of one agent: where it lives, its current instance and handlers, and its counters.
/// Senders write their own send counters; the worker writes everything else, on cache lines of its own.
/// </summary>
internal sealed class AgentCell
{
    public const int Running = 0;
    public const int Stopping = 1;
    public const int Ending = 2;   // OnStop and deregistration in progress
    public const int Stopped = 3;

    // One counter per source (outside senders, then each worker), a cache line apart: a worker counts its own
    // sends with a plain store, and no locked instruction sits on the agent-to-agent path.
    private const int Stride = 8;

    // What every send reads, padded on both sides: objects allocated next to the cell (the agent itself, whose
    // fields its handlers write on every message) must not share a cache line with it.
    private SenderFields _sender;

    public AgentCell(AgentId id, Worker worker, int workerCount, Func<Agent> factory, AgentOptions options)
    {
        _sender.Id = id;
        _sender.WorkerIndex = worker.Index;
        _sender.Backpressure = options.Backpressure;
        Worker = worker;
        _sender.Enqueued = new long[(workerCount + 3) * Stride]; // a stride of padding before and after the counters
        Factory = factory;
        Options = options;
        Instance = NewInstance();
    }

    public AgentId Id => _sender.Id;

    public Worker Worker { get; }

    /// <summary>The worker's index, kept here so that senders never read the worker object the consumer writes.</summary>
    public int WorkerIndex => _sender.WorkerIndex;

    /// <summary>The agent's backpressure choice (a copy of its options', on the senders' line).</summary>
    public Backpressure Backpressure => _sender.Backpressure;

    /// <summary>Running, Stopping, Ending or Stopped; read by every send.</summary>
    public ref int State => ref _sender.State;

    public Func<Agent> Factory { get; }

    public AgentOptions Options { get; }

    /// <summary>The current instance and its handlers; replaced on restart by the worker.</summary>
    public (Agent Agent, HandlerMap Handlers) Instance;

    /// <summary>Whether OnStart has run for the current instance (worker only).</summary>
    public bool Started;

    public Counters Stats;

    public Exception? LastError;

    /// <summary>Attempts so far of messages being retried, by message id (worker only).</summary>
    public Dictionary<ulong, int>? RetryAttempts;

    /// <summary>Envelopes sent to the agent, from every source.</summary>
    public long Enqueued
    {
        get
        {
            long total = 0;
            for (int i = Stride; i < _sender.Enqueued.Length; i += Stride)
            {
                total += Volatile.Read(ref _sender.Enqueued[i]);
            }

            return total;
        }
    }

    public long Backlog => Math.Max(0, Enqueued - Volatile.Read(ref Stats.Processed));

    /// <summary>Counts a send from outside any worker (any thread).</summary>
    public void CountExternalSend() => Interlocked.Increment(ref _sender.Enqueued[Stride]);

    /// <summary>Counts a send from worker <paramref name="worker"/>; only that worker's thread calls this.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void CountWorkerSend(int worker)
    {
        ref long counter = ref _sender.Enqueued[(worker + 2) * Stride];
        Volatile.Write(ref counter, counter + 1);
    }

    public (Agent, HandlerMap) NewInstance()
    {
        Agent agent = Factory() ?? throw new InvalidOperationException($"The factory of agent {Id} returned null.");
        agent.Id = Id;
        var handlers = new HandlerMap();
        agent.Configure(handlers);
        return (agent, handlers);
    }

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct SenderFields
    {
        [FieldOffset(64)]
        public AgentId Id;

        [FieldOffset(72)]
        public int State;

        [FieldOffset(76)]
        public int WorkerIndex;

        [FieldOffset(80)]
        public Backpressure Backpressure;

        [FieldOffset(88)]
        public long[] Enqueued;
    }

    /// <summary>The worker's counters, with a cache line of padding on each side (senders read this object's other fields).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    public struct Counters
    {
        /// <summary>Envelopes taken off the inbox: handled, failed or dead-lettered (worker).</summary>
        [FieldOffset(64)]
        public long Processed;

        [FieldOffset(72)]
        public long Handled;

        [FieldOffset(80)]
        public long Faults;
    }
}
