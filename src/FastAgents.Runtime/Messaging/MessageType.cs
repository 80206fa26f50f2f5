using System.Collections.Concurrent;
using System.Text;
using FastAgents.Runtime.Internal;

namespace FastAgents.Runtime;

/// <summary>
/// The 32-bit payload type id of <typeparamref name="T"/> that travels in <c>EnvelopeHeader.PayloadType</c>:
/// the FNV-1a hash of the type's full name, so every process derives the same id without coordination.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public static class MessageType<T>
{
    /// <summary>The id; computed once per type and checked against every other message type in the process.</summary>
    public static readonly uint Id = MessageTypes.Register(typeof(T));
}

/// <summary>Names of the message types this process has seen, for diagnostics.</summary>
public static class MessageTypes
{
    private static readonly ConcurrentDictionary<uint, Type> s_types = new();

    /// <summary>The type behind <paramref name="id"/>, when a message of that type was sent or handled here.</summary>
    public static Type? Find(uint id) => s_types.TryGetValue(id, out Type? type) ? type : null;

    /// <summary>The type's name for messages and logs, or the id in hex when it is unknown here.</summary>
    public static string Describe(uint id) => Find(id)?.Name ?? $"type {id:x8}";

    internal static uint Register(Type type)
    {
        uint id = Hashing.Fnv1a32(Encoding.UTF8.GetBytes(type.FullName ?? type.Name));
        if (id == 0)
        {
            id = 1;
        }

        Type existing = s_types.GetOrAdd(id, type);
        if (existing != type)
        {
            throw new InvalidOperationException(
                $"Message types {existing.FullName} and {type.FullName} hash to the same id {id:x8}; rename one of them.");
        }

        return id;
    }
}
