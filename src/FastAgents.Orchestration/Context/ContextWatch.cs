using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>
/// A subscription of an agent to changes in a <see cref="SharedContext"/>, made by <see cref="SharedContext.Watch"/>.
/// Disposing it ends the subscription (a change already being delivered may still arrive).
/// </summary>
public sealed class ContextWatch : IDisposable
{
    private readonly SharedContext _context;

    internal ContextWatch(SharedContext context, AgentId subscriber, ContextScope? scope, string keyPrefix)
    {
        _context = context;
        Subscriber = subscriber;
        Scope = scope;
        KeyPrefix = keyPrefix;
    }

    /// <summary>The agent told of changes (with <see cref="ContextChanged"/> messages).</summary>
    public AgentId Subscriber { get; }

    /// <summary>The scope watched, or null for every scope.</summary>
    public ContextScope? Scope { get; }

    /// <summary>Only keys starting with this (ordinal) are watched; empty for all keys.</summary>
    public string KeyPrefix { get; }

    /// <summary>True when a change to <paramref name="key"/> in <paramref name="scope"/> concerns this watch.</summary>
    public bool Matches(ContextScope scope, string key) =>
        (Scope is not { } watched || watched == scope) && key.StartsWith(KeyPrefix, StringComparison.Ordinal);

    /// <summary>Ends the subscription.</summary>
    public void Dispose() => _context.Unwatch(this);
}
