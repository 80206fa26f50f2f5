namespace FastAgents.Serialization.Tests.Messages;

/// <summary>A newer <see cref="PersonV1"/>: one member added at the end.</summary>
[FastMessage(VersionTolerant = true)]
public partial class PersonV2
{
    [FastOrder(0)]
    public int Age { get; set; }

    [FastOrder(1)]
    public string? Name { get; set; }

    [FastOrder(2)]
    public List<string?>? Emails { get; set; }
}
