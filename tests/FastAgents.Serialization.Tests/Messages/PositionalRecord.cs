namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial record PositionalRecord(int Id, string? Title, List<int>? Tags);
