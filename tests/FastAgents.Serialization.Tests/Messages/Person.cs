namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class Person
{
    public int Age { get; set; }

    public string? Name { get; set; }
}
