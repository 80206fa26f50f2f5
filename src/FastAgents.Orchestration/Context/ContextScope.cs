using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>
/// Where a key of a <see cref="SharedContext"/> lives: the global scope every agent shares, or one agent's own
/// namespace (the same key in two scopes is two keys). Namespaces are a convention for keeping an agent's state
/// apart, not access control: any writer may write any scope.
/// </summary>
public readonly record struct ContextScope
{
    private ContextScope(AgentId owner) => Owner = owner;

    /// <summary>The global scope.</summary>
    public static ContextScope Global => default;

    /// <summary>The namespace's owner; <see cref="AgentId.None"/> for the global scope.</summary>
    public AgentId Owner { get; }

    /// <summary>True for the global scope.</summary>
    public bool IsGlobal => Owner.IsNone;

    /// <summary>The namespace of <paramref name="agent"/>; <see cref="Global"/> for <see cref="AgentId.None"/>.</summary>
    public static ContextScope Of(AgentId agent) => new(agent);

    /// <inheritdoc/>
    public override string ToString() => IsGlobal ? "global" : $"agent {Owner}";
}
