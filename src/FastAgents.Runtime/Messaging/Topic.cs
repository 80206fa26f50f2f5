using System.Text;
using FastAgents.Runtime.Internal;

namespace FastAgents.Runtime;

/// <summary>
/// A named topic for publish/subscribe. Its id is the FNV-1a-64 hash of the UTF-8 name, the same in every
/// process; it travels in <c>EnvelopeHeader.CorrelationId</c> of a publish.
/// </summary>
public readonly record struct Topic
{
    /// <summary>Creates the topic called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public Topic(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Id = Hashing.Fnv1a64(Encoding.UTF8.GetBytes(name));
    }

    /// <summary>The topic's name.</summary>
    public string Name { get; }

    /// <summary>The topic's 64-bit id.</summary>
    public ulong Id { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// What an agent can do, by name ("summarize", "pool:parsers"). Sends to a capability go to the least busy
/// agent that registered it; broadcasts go to all of them.
/// </summary>
public readonly record struct Capability
{
    /// <summary>Creates the capability called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public Capability(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Id = Hashing.Fnv1a64(Encoding.UTF8.GetBytes(name));
    }

    /// <summary>The capability's name.</summary>
    public string Name { get; }

    /// <summary>The capability's 64-bit id.</summary>
    public ulong Id { get; }

    /// <summary>Creates a capability from its name.</summary>
    public static implicit operator Capability(string name) => new(name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
