using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FastAgents.Serialization;

namespace FastAgents.Benchmarks.Serialization;

/// <summary>Deserialize the small message: FastSerializer (new instance, and in place) vs System.Text.Json (source-generated).</summary>
[MemoryDiagnoser]
public class SmallMessageDeserializeBenchmarks
{
    private readonly byte[] _json = JsonSerializer.SerializeToUtf8Bytes(BenchSmallMessage.Create(), BenchJsonContext.Default.BenchSmallMessage);
    private readonly byte[] _fast = FastSerializer.Serialize(BenchSmallMessage.Create());
    private BenchSmallMessage? _target = new();

    [Benchmark(Baseline = true)]
    public BenchSmallMessage? SystemTextJson() => JsonSerializer.Deserialize(_json, BenchJsonContext.Default.BenchSmallMessage);

    [Benchmark]
    public BenchSmallMessage? Fast() => FastSerializer.Deserialize<BenchSmallMessage>(_fast);

    [Benchmark]
    public BenchSmallMessage? FastInPlace()
    {
        FastSerializer.Deserialize(_fast, ref _target);
        return _target;
    }
}
