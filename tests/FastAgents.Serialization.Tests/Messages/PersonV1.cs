namespace FastAgents.Serialization.Tests.Messages;

[FastMessage(VersionTolerant = true)]
public partial class PersonV1
{
    [FastOrder(0)]
    public int Age { get; set; }

    [FastOrder(1)]
    public string? Name { get; set; }
}
