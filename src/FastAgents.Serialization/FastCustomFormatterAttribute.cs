namespace FastAgents.Serialization;

/// <summary>
/// Tells the source generator that a member's type is written by a hand-written formatter registered with
/// <see cref="FastFormatterProvider.Register{T}(FastFormatter{T})"/>, so it does not report the type as unsupported.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class FastCustomFormatterAttribute : Attribute
{
}
