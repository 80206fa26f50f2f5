namespace FastAgents.Serialization.Tests.Messages;

/// <summary>An unmanaged struct with three padding bytes after <see cref="A"/>.</summary>
[FastMessage]
public partial struct PaddedStruct
{
    public byte A;

    public int B;
}
