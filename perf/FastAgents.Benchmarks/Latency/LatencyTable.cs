using System.Globalization;
using FastAgents.Perf;

namespace FastAgents.Benchmarks.Latency;

/// <summary>Prints histograms side by side, in microseconds, with one machine-readable line per row.</summary>
internal static class LatencyTable
{
    private static readonly double[] s_percentiles = [50, 90, 99, 99.9, 99.99, 100];

    public static void Print(string title, IReadOnlyList<(string Name, LogLinearHistogram Histogram, double AllocatedPerOp)> rows)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine($"{"variant",-34}{"count",10}{"p50",10}{"p90",10}{"p99",10}{"p99.9",10}{"p99.99",10}{"max",10}{"B/op",8}");
        foreach ((string name, LogLinearHistogram h, double allocated) in rows)
        {
            Console.Write($"{name,-34}{h.TotalCount,10}");
            foreach (double p in s_percentiles)
            {
                Console.Write($"{Us(h.ValueAtPercentile(p)),10}");
            }

            Console.WriteLine($"{allocated,8:F1}");
        }

        foreach ((string name, LogLinearHistogram h, double allocated) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"result {Slug(title)} {Slug(name)} count={h.TotalCount} p50_us={Us(h.ValueAtPercentile(50))} p99_us={Us(h.ValueAtPercentile(99))} p999_us={Us(h.ValueAtPercentile(99.9))} max_us={Us(h.Max)} alloc_bytes_per_op={allocated:F1}"));
        }
    }

    public static string Us(long nanoseconds) => (nanoseconds / 1000.0).ToString("F2", CultureInfo.InvariantCulture);

    private static string Slug(string s) => s.Split(':')[0].Replace(' ', '_').Replace(">", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}
