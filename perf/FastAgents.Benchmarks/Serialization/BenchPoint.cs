using FastAgents.Serialization;

namespace FastAgents.Benchmarks.Serialization;

/// <summary>An unmanaged struct with padding (after <see cref="Flags"/>).</summary>
[FastMessage]
public partial struct BenchPoint
{
    public long X;

    public long Y;

    public byte Flags;
}
