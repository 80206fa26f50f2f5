using FastAgents.Gate;
using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class GateOptionsTests
{
    [Fact]
    public void Parse_NoArguments_RunsWithoutSlowdown()
    {
        GateOptions? options = GateOptions.Parse([], _ => null, TextWriter.Null);

        Assert.NotNull(options);
        Assert.False(options.Slowdown);
        Assert.False(options.UpdateBaseline);
        Assert.Equal(GateOptions.DefaultRounds, options.Rounds);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("TRUE")]
    public void Parse_SlowdownVariableSet_TurnsTheSlowdownOn(string value)
    {
        GateOptions? options = GateOptions.Parse([], name => name == GateOptions.SlowdownVariable ? value : null, TextWriter.Null);

        Assert.True(options!.Slowdown);
    }

    [Fact]
    public void Parse_SlowdownVariableZero_LeavesItOff()
    {
        GateOptions? options = GateOptions.Parse([], name => name == GateOptions.SlowdownVariable ? "0" : null, TextWriter.Null);

        Assert.False(options!.Slowdown);
    }

    [Fact]
    public void Parse_UpdateBaselineWithSlowdown_IsRefused()
    {
        var error = new StringWriter();

        GateOptions? options = GateOptions.Parse(["--update-baseline", "--slowdown"], _ => null, error);

        Assert.Null(options);
        Assert.Contains("slowdown", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FlagsAndValues_AreRead()
    {
        GateOptions? options = GateOptions.Parse(["--rounds", "5", "--baseline", "b.json", "--update-baseline"], _ => null, TextWriter.Null);

        Assert.Equal(5, options!.Rounds);
        Assert.Equal("b.json", options.BaselinePath);
        Assert.True(options.UpdateBaseline);
    }

    [Theory]
    [InlineData("--rounds")]
    [InlineData("--rounds", "0")]
    [InlineData("--bogus")]
    public void Parse_BadArguments_ReturnNull(params string[] args) =>
        Assert.Null(GateOptions.Parse(args, _ => null, TextWriter.Null));
}
