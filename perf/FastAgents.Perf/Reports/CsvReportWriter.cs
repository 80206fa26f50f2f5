using System.Globalization;

namespace FastAgents.Perf.Reports;

/// <summary>
/// Writes a report as three CSV tables (RFC 4180 quoting, invariant culture, latencies in microseconds
/// with three decimals, so nanoseconds are exact): the one-row summary, the per-second timeline and the
/// percentile spectrum.
/// </summary>
public static class CsvReportWriter
{
    private static readonly string[] s_percentileColumns = ["min", "mean", "p50", "p90", "p99", "p99_9", "p99_99", "max"];

    /// <summary>Header and one row: counts, rates, bytes per message and the latency percentiles.</summary>
    public static void WriteSummary(LoadReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var header = new List<string>
        {
            "title", "model", "profile", "started_utc", "warmup_s", "elapsed_s", "issued", "sent", "count", "ok", "fail",
            "dropped", "late", "unfinished", "offered_rate", "achieved_rate", "generator_error", "worst_second_error", "throughput", "fail_rate",
            "bytes_per_message",
        };
        var row = new List<string>
        {
            report.Title,
            report.Model.ToString().ToLowerInvariant(),
            report.Profile,
            report.StartedUtc.ToString("O", CultureInfo.InvariantCulture),
            Num(report.WarmUpSeconds),
            Num(report.ElapsedSeconds),
            Int(report.Issued),
            Int(report.Sent),
            Int(report.Count),
            Int(report.Ok),
            Int(report.Fail),
            Int(report.Dropped),
            Int(report.Late),
            Int(report.Unfinished),
            Num(report.OfferedRate),
            Num(report.AchievedRate),
            Num(report.GeneratorError),
            Num(report.WorstSecondError),
            Num(report.Throughput),
            Num(report.FailRate),
            Num(report.BytesPerMessage),
        };
        AddLatency("response", report.Response);
        AddLatency("service", report.Service);
        AddLatency("send_lag", report.SendLag);
        header.Add("thresholds");
        row.Add(report.Thresholds is null ? string.Empty : report.Thresholds.Passed ? "pass" : "fail");
        WriteRow(writer, header);
        WriteRow(writer, row);

        void AddLatency(string name, LatencySummary s)
        {
            foreach (string column in s_percentileColumns)
            {
                header.Add($"{name}_{column}_us");
            }

            row.Add(ReportFormat.Microseconds(s.MinNs));
            row.Add((s.MeanNs / 1000).ToString("0.000", CultureInfo.InvariantCulture));
            row.Add(ReportFormat.Microseconds(s.P50Ns));
            row.Add(ReportFormat.Microseconds(s.P90Ns));
            row.Add(ReportFormat.Microseconds(s.P99Ns));
            row.Add(ReportFormat.Microseconds(s.P999Ns));
            row.Add(ReportFormat.Microseconds(s.P9999Ns));
            row.Add(ReportFormat.Microseconds(s.MaxNs));
        }
    }

    /// <summary>One row per second: <c>second,sent,started,dropped,late,completed,ok,fail,p99_us</c>.</summary>
    public static void WriteTimeline(LoadReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("second,sent,started,dropped,late,completed,ok,fail,p99_us\n");
        foreach (var s in report.Timeline)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{s.Second},{s.Sent},{s.Started},{s.Dropped},{s.Late},{s.Completed},{s.Ok},{s.Fail},{ReportFormat.Microseconds(s.P99Nanoseconds)}\n"));
        }
    }

    /// <summary>The percentile spectrum: <c>percentile,response_us,service_us,count,inverse_tail</c> (inverse tail empty at 100).</summary>
    public static void WriteSpectrum(LoadReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("percentile,response_us,service_us,count,inverse_tail\n");
        foreach (SpectrumRow r in report.Spectrum)
        {
            string inverse = r.InverseTail is double x ? x.ToString("0.######", CultureInfo.InvariantCulture) : string.Empty;
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Percentile:0.##########},{ReportFormat.Microseconds(r.ResponseNs)},{ReportFormat.Microseconds(r.ServiceNs)},{r.Count},{inverse}\n"));
        }
    }

    private static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteRow(TextWriter writer, List<string> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write(Quote(fields[i]));
        }

        writer.Write('\n');
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
