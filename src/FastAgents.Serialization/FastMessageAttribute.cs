namespace FastAgents.Serialization;

/// <summary>
/// Marks a partial class, struct or record for the source generator, which emits its formatter and
/// registers it. Members are public instance fields and properties, in declaration order unless every
/// member carries <see cref="FastOrderAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class FastMessageAttribute : Attribute
{
    /// <summary>
    /// When true the object is written as <c>[memberCount][varint length × memberCount][values]</c>, so a reader
    /// with fewer or more members than the writer skips or defaults by length. Every member needs
    /// <see cref="FastOrderAttribute"/>.
    /// </summary>
    public bool VersionTolerant { get; set; }
}
