namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class WithCustomMember
{
    public int Id { get; set; }

    [FastCustomFormatter]
    public Temperature? Reading { get; set; }
}
