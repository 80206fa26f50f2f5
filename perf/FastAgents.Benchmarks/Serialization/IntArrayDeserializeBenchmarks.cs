using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FastAgents.Serialization;

namespace FastAgents.Benchmarks.Serialization;

/// <summary>Deserialize a 256-element int array: FastSerializer (new array, and in place) vs System.Text.Json (source-generated).</summary>
[MemoryDiagnoser]
public class IntArrayDeserializeBenchmarks
{
    private static readonly int[] s_values = Enumerable.Range(-128, 256).Select(i => i * 7919).ToArray();
    private readonly byte[] _json = JsonSerializer.SerializeToUtf8Bytes(s_values, BenchJsonContext.Default.Int32Array);
    private readonly byte[] _fast = FastSerializer.Serialize(s_values);
    private int[]? _target = new int[256];

    [Benchmark(Baseline = true)]
    public int[]? SystemTextJson() => JsonSerializer.Deserialize(_json, BenchJsonContext.Default.Int32Array);

    [Benchmark]
    public int[]? Fast() => FastSerializer.Deserialize<int[]>(_fast);

    [Benchmark]
    public int[]? FastInPlace()
    {
        FastSerializer.Deserialize(_fast, ref _target);
        return _target;
    }
}
