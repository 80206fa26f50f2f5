using System.Globalization;

namespace FastAgents.Perf.Reports;

/// <summary>Number formats shared by the writers (invariant culture throughout).</summary>
internal static class ReportFormat
{
    /// <summary>Nanoseconds as microseconds with three decimals: exact, and what the CSV and tables use.</summary>
    public static string Microseconds(long nanoseconds) => (nanoseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A latency in the unit that suits it (ns, µs, ms or s), to about three digits.</summary>
    public static string Latency(double nanoseconds) => nanoseconds switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:0} ns"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:0.##} µs"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:0.##} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e9:0.###} s"),
    };

    public static string Number(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => fraction.ToString("0.####%", CultureInfo.InvariantCulture);
}
