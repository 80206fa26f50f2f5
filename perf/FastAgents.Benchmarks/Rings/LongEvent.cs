namespace FastAgents.Benchmarks.Rings;

/// <summary>A struct slot of one long: the ring stores it inline.</summary>
public struct LongEvent
{
    public long Value;
}
