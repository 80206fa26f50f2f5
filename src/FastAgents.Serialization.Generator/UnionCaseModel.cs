namespace FastAgents.Serialization.Generator;

/// <summary>One case of a union: its tag and fully qualified type name.</summary>
internal sealed record UnionCaseModel(int Tag, string TypeName);
