using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FastAgents.Serialization;

namespace FastAgents.Benchmarks.Serialization;

/// <summary>Serialize the small message into a reused buffer writer: FastSerializer vs System.Text.Json (source-generated).</summary>
[MemoryDiagnoser]
public class SmallMessageSerializeBenchmarks
{
    private readonly BenchSmallMessage _message = BenchSmallMessage.Create();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json = new(Stream.Null);

    [Benchmark(Baseline = true)]
    public int SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        JsonSerializer.Serialize(_json, _message, BenchJsonContext.Default.BenchSmallMessage);
        _json.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int Fast()
    {
        _buffer.ResetWrittenCount();
        FastSerializer.Serialize(_buffer, _message);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public byte[] FastToArray() => FastSerializer.Serialize(_message);
}
