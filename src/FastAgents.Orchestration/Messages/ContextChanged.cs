using FastAgents.Runtime;
using FastAgents.Serialization;

namespace FastAgents.Orchestration;

/// <summary>
/// Tells a watching agent that a key of a <see cref="SharedContext"/> changed. A watcher implements
/// <c>IHandle&lt;ContextChanged&gt;</c>; notifications for one key arrive in version order.
/// </summary>
[FastMessage]
public sealed partial class ContextChanged
{
    /// <summary>The raw id of the namespace's owner; 0 for the global scope. See <see cref="Scope"/>.</summary>
    public ulong Owner { get; set; }

    /// <summary>The key that changed.</summary>
    public string Key { get; set; } = "";

    /// <summary>The key's new version (1 for its first write; never reused).</summary>
    public long Version { get; set; }

    /// <summary>The new value; null when the key was deleted.</summary>
    public string? Value { get; set; }

    /// <summary>True when this change deleted the key.</summary>
    public bool Deleted { get; set; }

    /// <summary>The raw id of the agent that wrote the change (0: from outside any agent). See <see cref="WriterId"/>.</summary>
    public ulong Writer { get; set; }

    /// <summary>When the change was made, as Unix time in milliseconds of the context's clock.</summary>
    public long TimeUnixMs { get; set; }

    /// <summary>The scope the key lives in.</summary>
    [FastIgnore]
    public ContextScope Scope => Owner == 0 ? ContextScope.Global : ContextScope.Of(new AgentId(Owner));

    /// <summary>The agent that wrote the change.</summary>
    [FastIgnore]
    public AgentId WriterId => new(Writer);
}
