using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace FastAgents.Runtime;

/// <summary>
/// A named kind of agent. Its id is a 32-bit FNV-1a hash of the UTF-8 name, so every process derives the
/// same id from the same name without coordination; two names that hash alike are refused at
/// registration, in every process that registers both.
/// </summary>
public readonly record struct AgentType
{
    private static readonly ConcurrentDictionary<uint, string> s_names = new();

    private AgentType(uint id, string name)
    {
        Id = id;
        Name = name;
    }

    /// <summary>The type id carried in <see cref="AgentId"/>.</summary>
    public uint Id { get; }

    /// <summary>The registered name.</summary>
    public string Name { get; }

    /// <summary>Registers (or looks up) the type called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty, or another name already has the same id.</exception>
    public static AgentType Register(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        uint id = Internal.Hashing.Fnv1a32(Encoding.UTF8.GetBytes(name));
        if (id == 0)
        {
            id = 1; // zero is AgentId.None's type
        }

        string existing = s_names.GetOrAdd(id, name);
        if (!string.Equals(existing, name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Agent type '{name}' has the same id ({id:x8}) as the registered type '{existing}'; choose another name.", nameof(name));
        }

        return new AgentType(id, name);
    }

    /// <summary>The 32-bit key of a named agent (a user, a conversation) within a type: FNV-1a of its UTF-8 name.</summary>
    public static uint KeyOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Internal.Hashing.Fnv1a32(Encoding.UTF8.GetBytes(name));
    }

    /// <summary>The id of agent <paramref name="key"/> of this type.</summary>
    public AgentId this[uint key] => new(this, key);

    /// <summary>Looks up the name registered for <paramref name="id"/> in this process.</summary>
    public static bool TryGetName(uint id, [NotNullWhen(true)] out string? name) => s_names.TryGetValue(id, out name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
