namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class Polygon : IShape
{
    public int[]? Points { get; set; }
}
