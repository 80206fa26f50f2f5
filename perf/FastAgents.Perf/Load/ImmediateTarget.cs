namespace FastAgents.Perf.Load;

/// <summary>A target whose sends succeed at once: measures the generator itself.</summary>
public sealed class ImmediateTarget : ILoadTarget
{
    /// <inheritdoc/>
    public ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken) => new(true);
}
