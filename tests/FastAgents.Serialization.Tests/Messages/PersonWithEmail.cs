namespace FastAgents.Serialization.Tests.Messages;

/// <summary><see cref="Person"/> plus a member, in the default (non-tolerant) mode.</summary>
[FastMessage]
public partial class PersonWithEmail
{
    public int Age { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }
}
