namespace FastAgents.Serialization.Generator;

/// <summary>A type that contains the message type: its declaration keyword and name, to reopen it as partial.</summary>
internal sealed record ContainingTypeModel(string Keyword, string Name);
