using FastAgents.Perf.Load;
using FastAgents.Runtime;

namespace FastAgents.Cli.Load;

/// <summary>
/// The load engine's target: each send is a tell or an ask from outside the agents to one of the target agents
/// (round-robin by sequence number, or the least busy member of their pool), from one of the sending runtimes in
/// turn (one in process; one per connection through a router).
/// </summary>
/// <remarks>
/// A tell rents an <see cref="AckSource"/>, sends a message carrying its tag (and, in bits 48 to 62, the index of
/// the sending runtime) and returns its task, which the target agent's handler completes (through the router: the
/// target tells the sending runtime's <see cref="AckAgent"/>, which completes it); an ask returns a task that the same kind of source completes when the reply is back.
/// Neither allocates for struct payloads: the runtime copies the struct into the ring slot, asks use the runtime's
/// pooled sources, and the sources here come back to their pool once the engine has read them.
/// </remarks>
/// <typeparam name="TMessage">The load message type of the run.</typeparam>
internal sealed class RuntimeTarget<TMessage> : ILoadTarget
    where TMessage : ILoadMessage<TMessage>
{
    /// <summary>Where a tag keeps the index of the sending runtime.</summary>
    public const int ConnectionShift = 48;

    private readonly AgentRuntime[] _runtimes;
    private readonly AgentId[] _agents;
    private readonly Capability? _pool;
    private readonly LoadMode _mode;
    private readonly int _payloadBytes;
    private readonly AckPool _acks;

    /// <param name="runtimes">The runtimes that send, in turn (the one the agents live in, for an in-process run).</param>
    /// <param name="agents">The target agents, sent to in turn.</param>
    /// <param name="pool">When set, each send goes to the least busy agent with this capability instead.</param>
    /// <param name="mode">Tell or ask.</param>
    /// <param name="payloadBytes">Serialized payload size of each message.</param>
    /// <param name="acks">The completion sources the target agents complete.</param>
    public RuntimeTarget(AgentRuntime[] runtimes, AgentId[] agents, Capability? pool, LoadMode mode, int payloadBytes, AckPool acks)
    {
        ArgumentOutOfRangeException.ThrowIfZero(agents.Length);
        ArgumentOutOfRangeException.ThrowIfZero(runtimes.Length);
        _runtimes = runtimes;
        _agents = agents;
        _pool = pool;
        _mode = mode;
        _payloadBytes = payloadBytes;
        _acks = acks;
    }

    public ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken) =>
        _mode == LoadMode.Tell ? Tell(sequence) : Ask(sequence);

    private ValueTask<bool> Tell(long sequence)
    {
        AckSource ack = _acks.Rent();

        // Taken before the send: the handler may complete the source before Tell returns.
        ValueTask<bool> completion = ack.Task;
        int connection = (int)(sequence % _runtimes.Length);
        AgentRuntime runtime = _runtimes[connection];
        TMessage message = TMessage.Create(ack.Tag | ((long)connection << ConnectionShift), _payloadBytes);
        SendStatus status;
        try
        {
            status = _pool is Capability pool
                ? runtime.TellAny(pool, in message)
                : runtime.Tell(_agents[(int)(sequence / _runtimes.Length % _agents.Length)], in message);
        }
        catch
        {
            _acks.Return(ack);
            throw;
        }

        if (status != SendStatus.Sent)
        {
            _acks.Return(ack);
            return new ValueTask<bool>(false);
        }

        return completion;
    }

    private ValueTask<bool> Ask(long sequence)
    {
        TMessage message = TMessage.Create(sequence, _payloadBytes);
        AgentRuntime runtime = _runtimes[(int)(sequence % _runtimes.Length)];
        ValueTask<LoadAck> ask = _pool is Capability pool
            ? runtime.AskAnyAsync<TMessage, LoadAck>(pool, in message)
            : runtime.AskAsync<TMessage, LoadAck>(_agents[(int)(sequence / _runtimes.Length % _agents.Length)], in message);
        if (ask.IsCompleted)
        {
            return new ValueTask<bool>(AckSource.Matches(ask, sequence));
        }

        AckSource ack = _acks.Rent();
        if (ask.IsCompleted)
        {
            // A second look once the source is found: registering on a completed ask would queue to the thread pool.
            _acks.Return(ack);
            return new ValueTask<bool>(AckSource.Matches(ask, sequence));
        }

        return ack.CompleteWhen(ask, sequence);
    }
}
