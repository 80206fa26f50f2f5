using BenchmarkDotNet.Attributes;
using FastAgents.Serialization;

namespace FastAgents.Benchmarks.Serialization;

/// <summary>An unmanaged struct both ways: the zero-allocation paths (no JSON peer; the figure is bytes allocated).</summary>
[MemoryDiagnoser]
public class UnmanagedStructBenchmarks
{
    private readonly BenchPoint _point = new() { X = 1, Y = 2, Flags = 3 };
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(64);
    private readonly byte[] _bytes = FastSerializer.Serialize(new BenchPoint { X = 1, Y = 2, Flags = 3 });

    [Benchmark]
    public int Serialize()
    {
        _buffer.ResetWrittenCount();
        FastSerializer.Serialize(_buffer, _point);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public BenchPoint Deserialize() => FastSerializer.Deserialize<BenchPoint>(_bytes);
}
