namespace FastAgents.Serialization.Tests.Messages;

/// <summary><see cref="PersonV2"/> with <c>Name</c> (order 1) removed.</summary>
[FastMessage(VersionTolerant = true)]
public partial class PersonV3
{
    [FastOrder(0)]
    public int Age { get; set; }

    [FastOrder(2)]
    public List<string?>? Emails { get; set; }
}
