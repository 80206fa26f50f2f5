namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class SmallMessage
{
    public int A { get; set; }

    public int B { get; set; }

    public int C { get; set; }

    public long D { get; set; }

    public string? Text { get; set; }
}
