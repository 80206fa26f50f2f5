namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class InitOnlyMessage
{
    public required int Id { get; init; }

    public string? Note { get; init; }

    [FastIgnore]
    public string? Ignored { get; set; }
}
