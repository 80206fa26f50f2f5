namespace FastAgents.Serialization.Generator;

/// <summary>Everything the emitter needs about one [FastUnion] type.</summary>
internal sealed record UnionModel(
    string? Namespace,
    string Name,
    string FullName,
    string HintName,
    EquatableArray<UnionCaseModel> Cases,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool CanEmit);
