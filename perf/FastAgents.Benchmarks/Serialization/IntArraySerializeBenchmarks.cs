using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FastAgents.Serialization;

namespace FastAgents.Benchmarks.Serialization;

/// <summary>Serialize a 256-element int array into a reused buffer writer: FastSerializer vs System.Text.Json (source-generated).</summary>
[MemoryDiagnoser]
public class IntArraySerializeBenchmarks
{
    private readonly int[] _values = Enumerable.Range(-128, 256).Select(i => i * 7919).ToArray();
    private readonly ArrayBufferWriter<byte> _buffer = new(8192);
    private readonly Utf8JsonWriter _json = new(Stream.Null);

    [Benchmark(Baseline = true)]
    public int SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        JsonSerializer.Serialize(_json, _values, BenchJsonContext.Default.Int32Array);
        _json.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int Fast()
    {
        _buffer.ResetWrittenCount();
        FastSerializer.Serialize(_buffer, _values);
        return _buffer.WrittenCount;
    }
}
