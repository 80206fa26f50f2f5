namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class ThreeNumbers
{
    public byte A { get; set; }

    public int B { get; set; }

    public long C { get; set; }
}
