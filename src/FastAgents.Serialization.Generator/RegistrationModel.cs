namespace FastAgents.Serialization.Generator;

/// <summary>A built-in formatter for a constructed type (array, list, ...) that the generated code registers up front.</summary>
internal sealed record RegistrationModel(string TypeName, string FormatterName);
