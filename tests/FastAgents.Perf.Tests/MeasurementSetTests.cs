using FastAgents.Gate.Comparison;
using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class MeasurementSetTests
{
    [Fact]
    public void Combine_ThreeProcesses_TakesTheMedianAndIgnoresTheOddOne()
    {
        IReadOnlyList<CaseMeasurement> combined = MeasurementSet.Combine(
        [
            [M("ring", ours: 300, peer: 10, ratio: 30)],
            [M("ring", ours: 100, peer: 50, ratio: 2)],   // a process in a bad mode
            [M("ring", ours: 320, peer: 12, ratio: 26)],
        ]);

        CaseMeasurement ring = Assert.Single(combined);
        Assert.Equal(26, ring.Ratio);
        Assert.Equal(300, ring.Ours);
        Assert.Equal(12, ring.Peer);
    }

    [Fact]
    public void Combine_BytesInAnyProcess_AreKept()
    {
        IReadOnlyList<CaseMeasurement> combined = MeasurementSet.Combine(
        [
            [M("ask", 1, 1, 1, oursBytes: 0)],
            [M("ask", 1, 1, 1, oursBytes: 40)],
            [M("ask", 1, 1, 1, oursBytes: 0)],
        ]);

        Assert.Equal(40, Assert.Single(combined).OursBytesPerOp);
    }

    [Fact]
    public void Combine_CasesKeepTheirFirstOrder_AndACaseSeenOnceStillCounts()
    {
        IReadOnlyList<CaseMeasurement> combined = MeasurementSet.Combine(
        [
            [M("a", 1, 1, 1), M("b", 1, 1, 4)],
            [M("b", 1, 1, 6), M("c", 1, 1, 9)],
        ]);

        Assert.Equal(["a", "b", "c"], combined.Select(c => c.Name));
        Assert.Equal(5, combined[1].Ratio);
        Assert.Equal(9, combined[2].Ratio);
    }

    [Fact]
    public void Median_NaNAmongValues_IsNaN() => Assert.True(double.IsNaN(MeasurementSet.Median([1, double.NaN, 3])));

    [Fact]
    public void Median_EvenCount_IsTheMeanOfTheMiddleTwo() => Assert.Equal(2.5, MeasurementSet.Median([4, 1, 2, 3]));

    private static CaseMeasurement M(string name, double ours, double peer, double ratio, long oursBytes = 0) =>
        new(name, CaseMeasurement.PerSecond, ours, peer, ratio, oursBytes, 0);
}
