namespace FastAgents.Serialization;

/// <summary>Leaves a member out of the serialized form.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class FastIgnoreAttribute : Attribute
{
}
