namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class Circle : IShape
{
    public double Radius { get; set; }
}
