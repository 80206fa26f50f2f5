using FastAgents.Rings;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>
/// <c>--spin-us</c> and <c>--yield-us</c>: how long the runtime's workers and the client's writer spin, then yield,
/// before they park (the runtime's defaults when absent).
/// </summary>
internal readonly record struct IdleWait(TimeSpan Spin, TimeSpan Yield)
{
    public const string Usage = "[--spin-us N] [--yield-us N]";

    public static IdleWait From(RoleArguments args) => new(
        TimeSpan.FromMicroseconds(args.GetInt("spin-us", (int)SpinThenParkWait.DefaultSpin.TotalMicroseconds, 0, 1_000_000)),
        TimeSpan.FromMicroseconds(args.GetInt("yield-us", (int)SpinThenParkWait.DefaultYield.TotalMicroseconds, 0, 1_000_000)));

    /// <summary>The arguments that give these values to a child role.</summary>
    public IEnumerable<string> Arguments() =>
        ["--spin-us", ((int)Spin.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--yield-us", ((int)Yield.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)];
}
