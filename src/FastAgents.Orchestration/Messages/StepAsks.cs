namespace FastAgents.Orchestration;

/// <summary>How orchestration waits for a step's ask when the wait can be cancelled.</summary>
internal static class StepAsks
{
    /// <summary>
    /// <paramref name="ask"/>, raced with <paramref name="token"/> when it can be cancelled (the runtime's asks take no
    /// token). <c>AsTask</c> consumes the pooled ask exactly once, so it goes back to its pool even when the caller stops
    /// waiting for it. With a token that cannot be cancelled the pooled ask is returned as is: the allocation-free path.
    /// </summary>
    public static ValueTask<StepReply> WithCancellation(ValueTask<StepReply> ask, CancellationToken token) =>
        token.CanBeCanceled ? new ValueTask<StepReply>(ask.AsTask().WaitAsync(token)) : ask;
}
