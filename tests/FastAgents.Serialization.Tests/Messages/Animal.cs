namespace FastAgents.Serialization.Tests.Messages;

[FastUnion(0, typeof(Dog))]
[FastUnion(1, typeof(Cat))]
public abstract partial class Animal
{
    public string? Name { get; set; }
}
