using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class LogLinearHistogramTests
{
    private static readonly double[] s_percentiles = [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ValueAtPercentile_RandomLatencies_WithinRelativeErrorOfExactPercentile(int seed)
    {
        var random = new Random(seed);
        var histogram = new LogLinearHistogram();
        var samples = new long[200_000];
        for (int i = 0; i < samples.Length; i++)
        {
            // Log-uniform from 1 ns to about 17 s: every magnitude the histogram covers gets samples.
            samples[i] = (long)Math.Exp(random.NextDouble() * Math.Log(1L << 34));
            histogram.Record(samples[i]);
        }

        Array.Sort(samples);
        foreach (double p in s_percentiles)
        {
            long exact = samples[Math.Max(0, (int)Math.Ceiling(p / 100 * samples.Length) - 1)];
            long reported = histogram.ValueAtPercentile(p);
            Assert.True(reported >= exact, $"p{p}: reported {reported} below the exact {exact}");
            Assert.True(reported - exact <= Math.Max(1, exact * histogram.RelativeError), $"p{p}: reported {reported}, exact {exact}, beyond {histogram.RelativeError:P3}");
        }

        Assert.Equal(samples[0], histogram.Min);
        Assert.Equal(samples[^1], histogram.Max);
        Assert.Equal(samples.Length, histogram.TotalCount);
    }

    [Fact]
    public void Record_SmallValues_AreExact()
    {
        var histogram = new LogLinearHistogram();
        for (long v = 0; v < 2048; v++)
        {
            histogram.Record(v);
        }

        Assert.Equal(1023, histogram.ValueAtPercentile(50));
        Assert.Equal(2047, histogram.ValueAtPercentile(100));
        Assert.Equal(0, histogram.ValueAtPercentile(0));
        Assert.Equal(1023.5, histogram.Mean, 6);
    }

    [Fact]
    public void Add_TwoHistograms_EqualsRecordingEverythingInOne()
    {
        var random = new Random(9);
        var a = new LogLinearHistogram();
        var b = new LogLinearHistogram();
        var all = new LogLinearHistogram();
        for (int i = 0; i < 50_000; i++)
        {
            long v = random.NextInt64(1, 10_000_000);
            (i % 3 == 0 ? a : b).Record(v);
            all.Record(v);
        }

        a.Add(b);

        Assert.Equal(all.TotalCount, a.TotalCount);
        Assert.Equal(all.Max, a.Max);
        Assert.Equal(all.Min, a.Min);
        foreach (double p in s_percentiles)
        {
            Assert.Equal(all.ValueAtPercentile(p), a.ValueAtPercentile(p));
        }
    }

    [Fact]
    public void Record_AboveTrackableRange_IsClampedAndCounted()
    {
        var histogram = new LogLinearHistogram(highestTrackableValue: 1_000_000);
        histogram.Record(5);
        histogram.Record(10_000_000);

        Assert.Equal(1, histogram.ClampedCount);
        Assert.Equal(10_000_000, histogram.Max);
        Assert.Equal(2, histogram.TotalCount);
        Assert.True(histogram.ValueAtPercentile(100) >= 1_000_000);
    }

    [Fact]
    public void Record_ManyValues_AllocatesNothing()
    {
        var histogram = new LogLinearHistogram();
        histogram.Record(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long v = 0; v < 100_000; v++)
        {
            histogram.Record(v * 977);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Empty_ReportsZeros_AndBadArgumentsThrow()
    {
        var histogram = new LogLinearHistogram();
        Assert.Equal(0, histogram.ValueAtPercentile(99));
        Assert.Equal(0, histogram.Mean);
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(101));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogLinearHistogram(significantBits: 2));
        Assert.Throws<ArgumentException>(() => histogram.Add(new LogLinearHistogram(significantBits: 8)));
    }
}
