namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class Cat : Animal
{
    public bool Indoor { get; set; }
}
