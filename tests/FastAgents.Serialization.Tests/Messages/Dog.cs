namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class Dog : Animal
{
    public int Barks { get; set; }
}
