namespace FastAgents.Serialization;

/// <summary>Gives a member its fixed position on the wire (0-based).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class FastOrderAttribute : Attribute
{
    /// <summary>Creates the attribute with the member's position.</summary>
    public FastOrderAttribute(int order) => Order = order;

    /// <summary>The member's position on the wire.</summary>
    public int Order { get; }
}
