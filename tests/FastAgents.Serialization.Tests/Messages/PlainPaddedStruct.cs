namespace FastAgents.Serialization.Tests.Messages;

/// <summary>The same layout as <see cref="PaddedStruct"/> with no attribute: written as a raw copy.</summary>
public struct PlainPaddedStruct
{
    public byte A;

    public int B;
}
