namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class Square : IShape
{
    public int Side { get; set; }

    public string? Label { get; set; }
}
