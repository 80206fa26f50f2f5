namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial struct AutoPropertyStruct
{
    public bool Flag { get; set; }

    public long Value { get; set; }

    public short Small { get; init; }
}
