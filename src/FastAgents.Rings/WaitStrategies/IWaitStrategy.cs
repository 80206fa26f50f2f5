namespace FastAgents.Rings;

/// <summary>
/// How a consumer waits for a sequence to become available, and how a producer (or an upstream consumer)
/// wakes it. Implemented by structs and used as a generic type argument, so that each sequencer and
/// consumer is compiled for its strategy and the calls inline: no interface call on the hot path.
/// </summary>
/// <remarks>
/// A strategy that keeps shared state (a lock, a parking word) holds a reference to it, so copies of the
/// struct made by a sequencer and by its barriers all share that state. Create a strategy with its
/// constructor, never with <c>default</c>, when it has state.
/// </remarks>
public interface IWaitStrategy
{
    /// <summary>
    /// Waits until <paramref name="dependents"/> reaches <paramref name="sequence"/> or
    /// <paramref name="alert"/> is raised.
    /// </summary>
    /// <returns>The highest available sequence seen; less than <paramref name="sequence"/> only when alerted.</returns>
    long WaitFor(long sequence, in DependentSequences dependents, BarrierAlert alert);

    /// <summary>
    /// Called after a sequence that consumers may wait on has advanced (a publish, or an upstream consumer
    /// finishing a batch). Strategies that never block make this a no-op.
    /// </summary>
    void SignalAllWhenBlocking();
}
