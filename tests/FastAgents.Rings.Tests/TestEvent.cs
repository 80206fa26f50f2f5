namespace FastAgents.Rings.Tests;

/// <summary>A struct slot: the producer id in the high bits, its own counter in the low bits.</summary>
public struct TestEvent
{
    public long Value;
    public int Stage;
}
