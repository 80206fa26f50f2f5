namespace FastAgents.Serialization.Generator;

/// <summary>One serialized member.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="TypeName">Fully qualified type name.</param>
/// <param name="ElementTypeName">Element type for <see cref="MemberKind.UnmanagedArray"/>.</param>
/// <param name="Kind">How it is written.</param>
/// <param name="SizeExpression">Byte size for <see cref="MemberKind.Raw"/> (a literal or an Unsafe.SizeOf call).</param>
/// <param name="Order">Wire position.</param>
/// <param name="Setter">How it is assigned when read.</param>
internal sealed record MemberModel(
    string Name,
    string TypeName,
    string? ElementTypeName,
    MemberKind Kind,
    string? SizeExpression,
    int Order,
    SetterKind Setter);
