namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial record struct RecordStructWithRefs(int Id, string? Name);
