namespace FastAgents.Serialization.Generator;

/// <summary>
/// Everything the emitter needs about one [FastMessage] type, as plain equatable data: editing unrelated code
/// produces an equal model, so the incremental pipeline skips emitting again.
/// </summary>
internal sealed record TypeModel(
    string? Namespace,
    string Name,
    string FullName,
    string HintName,
    string Keyword,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    bool IsValueType,
    bool IsRawStruct,
    bool VersionTolerant,
    EquatableArray<MemberModel> Members,
    int SlotCount,
    EquatableArray<string> ConstructorArguments,
    bool CanOverwrite,
    EquatableArray<string> ProbeStatements,
    bool CanProbe,
    EquatableArray<RegistrationModel> Registrations,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool CanEmit);
