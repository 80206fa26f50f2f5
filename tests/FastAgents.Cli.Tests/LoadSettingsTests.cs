using FastAgents.Cli.Load;
using FastAgents.Perf.Load;
using Xunit;

namespace FastAgents.Cli.Tests;

public sealed class LoadSettingsTests
{
    [Fact]
    public void Validate_Defaults_AreValidOpenModelAtTheDefaultRate()
    {
        var settings = new LoadSettings();

        Assert.Null(settings.Validate());
        Assert.Equal(LoadModel.Open, settings.Model);
        Assert.Equal(LoadSettings.DefaultRate, settings.Schedule().InitialRate);
        Assert.Null(settings.Thresholds());
    }

    [Fact]
    public void Validate_RateBelowOne_IsAllowed()
    {
        var settings = new LoadSettings { Rate = 0.5, Duration = TimeSpan.FromSeconds(10) };

        Assert.Null(settings.Validate());
        Assert.Equal(5, settings.Schedule().TotalCount);
    }

    [Fact]
    public void Schedule_Ramp_GoesFromToOverTheDuration()
    {
        var settings = new LoadSettings { Ramp = (100, 300), Duration = TimeSpan.FromSeconds(10) };

        RateSchedule schedule = settings.Schedule();

        Assert.Null(settings.Validate());
        Assert.Equal(100, schedule.RateAt(TimeSpan.Zero));
        Assert.Equal(200, schedule.RateAt(TimeSpan.FromSeconds(5)), 6);
        Assert.Equal(2_000, schedule.TotalCount);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(4096)]
    [InlineData(13)]
    [InlineData(100)]
    [InlineData(65_536)]
    public void Validate_PayloadSizesThatCanBeMade_AreAccepted(int bytes) =>
        Assert.Null(new LoadSettings { PayloadBytes = bytes }.Validate());

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(LoadSettings.MaxPayloadBytes + 1)]
    public void Validate_PayloadSizesThatCannotBeMade_AreRefused(int bytes) =>
        Assert.Contains("--payload", new LoadSettings { PayloadBytes = bytes }.Validate(), StringComparison.Ordinal);

    private static readonly Dictionary<string, LoadSettings> s_conflicts = new()
    {
        ["rate and ramp"] = new LoadSettings { Rate = 100, Ramp = (1, 2) },
        ["concurrency and rate"] = new LoadSettings { Concurrency = 4, Rate = 100 },
        ["concurrency and in-flight cap"] = new LoadSettings { Concurrency = 4, MaxInFlight = 10 },
        ["think time without concurrency"] = new LoadSettings { ThinkTime = TimeSpan.FromMilliseconds(1) },
        ["zero rate"] = new LoadSettings { Rate = 0 },
        ["zero ramp"] = new LoadSettings { Ramp = (0, 0) },
        ["fail rate above one"] = new LoadSettings { MaxFailRate = 1.5 },
        ["zero p99"] = new LoadSettings { MaxP99Microseconds = 0 },
        ["zero count"] = new LoadSettings { Count = 0 },
        ["no agents"] = new LoadSettings { Agents = 0 },
        ["zero duration"] = new LoadSettings { Duration = TimeSpan.Zero },
    };

    [Theory]
    [InlineData("rate and ramp", "--ramp")]
    [InlineData("concurrency and rate", "--concurrency")]
    [InlineData("concurrency and in-flight cap", "--concurrency")]
    [InlineData("think time without concurrency", "--think-ms")]
    [InlineData("zero rate", "--rate")]
    [InlineData("zero ramp", "--ramp")]
    [InlineData("fail rate above one", "--max-fail-rate")]
    [InlineData("zero p99", "--max-p99")]
    [InlineData("zero count", "--count")]
    [InlineData("no agents", "--agents")]
    [InlineData("zero duration", "--duration")]
    public void Validate_BadCombinations_NameTheOption(string conflict, string option) =>
        Assert.Contains(option, s_conflicts[conflict].Validate(), StringComparison.Ordinal);

    [Fact]
    public void Validate_ClosedModelWithThinkTime_IsValid()
    {
        var settings = new LoadSettings { Concurrency = 8, ThinkTime = TimeSpan.FromMilliseconds(2) };

        Assert.Null(settings.Validate());
        Assert.Equal(LoadModel.Closed, settings.Model);
        Assert.Equal(8, settings.ExpectedInFlight);
    }

    [Fact]
    public void Thresholds_Given_AreConvertedFromMicroseconds()
    {
        var settings = new LoadSettings { MaxP99Microseconds = 250, MinRate = 1_000, MaxFailRate = 0.01 };

        var thresholds = settings.Thresholds()!;

        Assert.Equal(TimeSpan.FromMicroseconds(250), thresholds.MaxP99);
        Assert.Equal(1_000, thresholds.MinRate);
        Assert.Equal(0.01, thresholds.MaxFailRate);
    }

    [Theory]
    [InlineData("100:5000", 100, 5000)]
    [InlineData("0.5:2", 0.5, 2)]
    [InlineData("5000:0", 5000, 0)]
    public void TryParseRamp_FromTo_IsParsed(string text, double from, double to)
    {
        Assert.True(LoadSettings.TryParseRamp(text, out (double From, double To) ramp));
        Assert.Equal((from, to), ramp);
    }

    [Theory]
    [InlineData("")]
    [InlineData("100")]
    [InlineData(":100")]
    [InlineData("100:")]
    [InlineData("a:b")]
    public void TryParseRamp_Malformed_IsRefused(string text) => Assert.False(LoadSettings.TryParseRamp(text, out _));
}
