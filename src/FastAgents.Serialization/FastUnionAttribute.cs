namespace FastAgents.Serialization;

/// <summary>
/// Declares one case of a union on an interface or abstract class: values of <see cref="Type"/> are written
/// as the tag followed by the case's own form. Tags below 250 take one byte; wider tags take
/// <c>250</c> followed by a little-endian <c>ushort</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FastUnionAttribute : Attribute
{
    /// <summary>Creates a union case.</summary>
    /// <param name="tag">The case's tag, 0 to 65535, unique within the union.</param>
    /// <param name="type">The concrete type written with this tag.</param>
    public FastUnionAttribute(ushort tag, Type type)
    {
        Tag = tag;
        Type = type;
    }

    /// <summary>The case's tag.</summary>
    public ushort Tag { get; }

    /// <summary>The concrete type of the case.</summary>
    public Type Type { get; }
}
