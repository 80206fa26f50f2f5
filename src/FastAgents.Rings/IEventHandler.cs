namespace FastAgents.Rings;

/// <summary>
/// Handles events for a <see cref="BatchConsumer{T, THandler, TWait}"/>. Implement it on a struct to have
/// the consumer loop call it directly (the JIT compiles the loop for that struct and inlines the call).
/// </summary>
/// <typeparam name="T">The slot type.</typeparam>
public interface IEventHandler<T>
{
    /// <summary>Handles the event in the slot, by reference; the slot is reused once the batch ends.</summary>
    /// <param name="data">The slot.</param>
    /// <param name="sequence">The event's sequence.</param>
    /// <param name="endOfBatch">True for the last event the consumer read in this pass: a good time to flush.</param>
    void OnEvent(ref T data, long sequence, bool endOfBatch);
}
