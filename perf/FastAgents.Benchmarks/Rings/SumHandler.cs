using FastAgents.Rings;

namespace FastAgents.Benchmarks.Rings;

/// <summary>The consumer's work in the throughput benchmarks: add the value (so the read cannot be elided).</summary>
public struct SumHandler : IEventHandler<LongEvent>
{
    public long Sum;

    public void OnEvent(ref LongEvent data, long sequence, bool endOfBatch) => Sum += data.Value;
}
