using FastAgents.Gate.Comparison;
using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class GateComparerTests
{
    private static readonly GateBaseline s_baseline = new()
    {
        Cases =
        [
            new BaselineCase { Name = "ring", Ratio = 6.0, Tolerance = 0.4, BytesPerOp = 0 },
            new BaselineCase { Name = "ask.p99", Ratio = 2.0, Tolerance = 0.5, BytesPerOp = 0 },
        ],
    };

    [Fact]
    public void Compare_NoiseInsideTolerance_Passes()
    {
        // 6.0 x (1 - 0.4) = 3.6 and 2.0 x (1 - 0.5) = 1.0 are the lowest passing ratios; both runs sit just above.
        GateComparison comparison = GateComparer.Compare(s_baseline, [Rate("ring", 3.61), Latency("ask.p99", 1.01)]);

        Assert.True(comparison.Passed);
        Assert.All(comparison.Rows, row => Assert.Equal(RowStatus.Ok, row.Status));
        Assert.Empty(comparison.Failures);
    }

    [Fact]
    public void Compare_RatioAboveTheBaseline_Passes()
    {
        GateComparison comparison = GateComparer.Compare(s_baseline, [Rate("ring", 60), Latency("ask.p99", 20)]);

        Assert.True(comparison.Passed);
    }

    [Fact]
    public void Compare_SyntheticRegression_FailsAndNamesTheCase()
    {
        GateComparison comparison = GateComparer.Compare(s_baseline, [Rate("ring", 3.59), Latency("ask.p99", 1.5)]);

        Assert.False(comparison.Passed);
        ComparisonRow failed = Assert.Single(comparison.Failures);
        Assert.Equal("ring", failed.Name);
        Assert.Equal(RowStatus.Regressed, failed.Status);
        Assert.Contains("3.59", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("3.60", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_BytesPerOpDifferByOne_Fails()
    {
        GateComparison comparison = GateComparer.Compare(s_baseline, [Rate("ring", 6.0, oursBytes: 1), Latency("ask.p99", 2.0)]);

        Assert.False(comparison.Passed);
        ComparisonRow failed = Assert.Single(comparison.Failures);
        Assert.Equal("ring", failed.Name);
        Assert.Equal(RowStatus.BytesChanged, failed.Status);
        Assert.Contains("1 B/op", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_RegressionAndBytes_ReportsBoth()
    {
        GateComparison comparison = GateComparer.Compare(s_baseline, [Rate("ring", 1.0, oursBytes: 24), Latency("ask.p99", 2.0)]);

        ComparisonRow failed = Assert.Single(comparison.Failures);
        Assert.Equal(RowStatus.Regressed | RowStatus.BytesChanged, failed.Status);
    }

    [Fact]
    public void Compare_CaseMissingFromTheRun_IsReportedAndFails()
    {
        GateComparison comparison = GateComparer.Compare(s_baseline, [Rate("ring", 6.0)]);

        Assert.False(comparison.Passed);
        ComparisonRow missing = Assert.Single(comparison.Failures);
        Assert.Equal("ask.p99", missing.Name);
        Assert.Equal(RowStatus.Missing, missing.Status);
        Assert.Null(missing.Measured);
        Assert.Contains("not measured", missing.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_CaseNotInTheBaseline_IsReportedAndFails()
    {
        GateComparison comparison = GateComparer.Compare(s_baseline, [Rate("ring", 6.0), Latency("ask.p99", 2.0), Rate("new.case", 3.0)]);

        Assert.False(comparison.Passed);
        ComparisonRow extra = Assert.Single(comparison.Failures);
        Assert.Equal("new.case", extra.Name);
        Assert.Equal(RowStatus.NotInBaseline, extra.Status);
        Assert.Contains("--update-baseline", extra.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_RatioNaN_Fails()
    {
        GateComparison comparison = GateComparer.Compare(s_baseline, [Rate("ring", double.NaN), Latency("ask.p99", 2.0)]);

        Assert.Equal(RowStatus.Regressed, Assert.Single(comparison.Failures).Status);
    }

    [Fact]
    public void Write_Regression_TableShowsCaseBaselineMeasuredAndPeer()
    {
        GateComparison comparison = GateComparer.Compare(s_baseline,
        [
            new CaseMeasurement("ring", CaseMeasurement.PerSecond, Ours: 30e6, Peer: 25e6, Ratio: 1.2, OursBytesPerOp: 0, PeerBytesPerOp: 16),
            new CaseMeasurement("ask.p99", CaseMeasurement.Nanoseconds, Ours: 1_500, Peer: 3_000, Ratio: 2.0, OursBytesPerOp: 0, PeerBytesPerOp: 96),
        ]);
        var text = new StringWriter();

        GateTable.Write(comparison, text);

        string[] lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string ringRow = Assert.Single(lines, l => l.StartsWith("ring ", StringComparison.Ordinal));
        Assert.Contains("30.0 M/s", ringRow, StringComparison.Ordinal);   // ours
        Assert.Contains("25.0 M/s", ringRow, StringComparison.Ordinal);   // the peer's value
        Assert.Contains("1.20", ringRow, StringComparison.Ordinal);       // measured ratio
        Assert.Contains("6.00", ringRow, StringComparison.Ordinal);       // baseline
        Assert.Contains("3.60", ringRow, StringComparison.Ordinal);       // lowest passing ratio
        Assert.Contains("REGRESSED", ringRow, StringComparison.Ordinal);
        Assert.Contains("1.50 µs", Assert.Single(lines, l => l.StartsWith("ask.p99 ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("FAILED ring: ratio 1.20 is below 3.60", StringComparison.Ordinal));
    }

    [Fact]
    public void WithMeasurements_KeepsTolerancesAddsNewCasesAndDropsUnmeasured()
    {
        var baseline = new GateBaseline
        {
            About = "about",
            Cases =
            [
                new BaselineCase { Name = "ring", Ratio = 6.0, Tolerance = 0.4, BytesPerOp = 0, Note = "spread 5.5 to 7" },
                new BaselineCase { Name = "gone", Ratio = 1.0, Tolerance = 0.2, BytesPerOp = 0 },
            ],
        };

        GateBaseline updated = baseline.WithMeasurements([Rate("ring", 7.1234, oursBytes: 8), Rate("fresh", 2.0)]);

        Assert.Equal("about", updated.About);
        Assert.Equal(["ring", "fresh"], updated.Cases.Select(c => c.Name));
        BaselineCase ring = updated.Find("ring")!;
        Assert.Equal(7.123, ring.Ratio);
        Assert.Equal(0.4, ring.Tolerance);
        Assert.Equal(8, ring.BytesPerOp);
        Assert.Equal("spread 5.5 to 7", ring.Note);
        Assert.Equal(GateBaseline.DefaultTolerance, updated.Find("fresh")!.Tolerance);
    }

    [Fact]
    public void BaselineFile_FormatThenParse_RoundTrips()
    {
        string json = BaselineFile.Format(s_baseline with { About = "gate" });

        GateBaseline back = BaselineFile.Parse(json);

        Assert.Equal("gate", back.About);
        Assert.Equal(s_baseline.Cases, back.Cases);
        Assert.DoesNotContain("minRatio", json, StringComparison.Ordinal);
    }

    [Fact]
    public void CommittedBaseline_ParsesWithATolerancePerCase()
    {
        string path = FindRepositoryFile("perf/gate/baseline.json");

        GateBaseline baseline = BaselineFile.Read(path);

        Assert.Equal(
            ["ring.1p1c.batched", "serializer.small", "runtime.tell", "runtime.ask.p50", "runtime.ask.p99", "orchestration.sequential", "router.tell"],
            baseline.Cases.Select(c => c.Name));
        Assert.All(baseline.Cases, c =>
        {
            Assert.InRange(c.Tolerance, 0.01, 0.9);
            Assert.True(c.Ratio > 0, c.Name);
            Assert.False(string.IsNullOrWhiteSpace(c.Note), $"{c.Name} has no note on how its tolerance was chosen");
        });

        // Messaging allocates nothing per message. A plan's run is the one case that allocates by design: its class
        // messages and the result records the caller keeps (the note says what they are).
        Assert.All(baseline.Cases.Where(c => c.Name != "orchestration.sequential"), c => Assert.Equal(0, c.BytesPerOp));
        Assert.InRange(baseline.Find("orchestration.sequential")!.BytesPerOp, 1, 4096);
    }

    private static CaseMeasurement Rate(string name, double ratio, long oursBytes = 0) =>
        new(name, CaseMeasurement.PerSecond, Ours: ratio * 1e6, Peer: 1e6, Ratio: ratio, OursBytesPerOp: oursBytes, PeerBytesPerOp: 0);

    private static CaseMeasurement Latency(string name, double ratio) =>
        new(name, CaseMeasurement.Nanoseconds, Ours: 1_000, Peer: 1_000 * ratio, Ratio: ratio, OursBytesPerOp: 0, PeerBytesPerOp: 96);

    private static string FindRepositoryFile(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
