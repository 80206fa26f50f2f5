using FastAgents.Perf.Load;

namespace FastAgents.Perf.Reports;

/// <summary>Writes a report as Markdown: the run, the summary table, the latency table and the threshold verdict.</summary>
public static class MarkdownReportWriter
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="writer"/>.</summary>
    public static void Write(LoadReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write($"# Load report: {Escape(report.Title)}\n\n");
        writer.Write($"- load: {Escape(report.Profile)}\n");
        writer.Write($"- started: {report.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC\n");
        writer.Write($"- measured: {ReportFormat.Number(report.ElapsedSeconds)} s after {ReportFormat.Number(report.WarmUpSeconds)} s of warm-up (excluded)\n");
        writer.Write(report.HasIntendedTime
            ? "- response time is measured from each send's intended time (corrected for coordinated omission); service time from its actual start\n\n"
            : "- closed model: response time is service time, from each send's actual start\n\n");

        writer.Write("## Summary\n\n");
        writer.Write("| issued | count | ok | fail | dropped | late | unfinished | throughput (ok/s) | offered (/s) | achieved (/s) | generator error | worst second | fail rate | B/msg |\n");
        writer.Write("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        writer.Write($"| {report.Issued} | {report.Count} | {report.Ok} | {report.Fail} | {report.Dropped} | {report.Late} | {report.Unfinished} | "
            + $"{ReportFormat.Number(report.Throughput, "0.#")} | {ReportFormat.Number(report.OfferedRate, "0.#")} | {ReportFormat.Number(report.AchievedRate, "0.#")} | "
            + $"{ReportFormat.Percent(report.GeneratorError)} | {ReportFormat.Percent(report.WorstSecondError)} | {ReportFormat.Percent(report.FailRate)} | {ReportFormat.Number(report.BytesPerMessage, "0.0")} |\n\n");

        writer.Write("## Latency\n\n");
        writer.Write("| latency | count | p50 | p90 | p99 | p99.9 | p99.99 | max | mean |\n");
        writer.Write("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach ((string label, LatencySummary summary) in report.LatencyRows())
        {
            Row(writer, label, summary);
        }

        writer.Write('\n');
        if (report.Thresholds is ThresholdResult t)
        {
            writer.Write("## Thresholds\n\n");
            writer.Write(t.Passed ? "**Passed**" : "**Failed**");
            writer.Write(t.Checked.Count > 0 ? $": {Escape(string.Join("; ", t.Checked))}\n\n" : "\n\n");
            foreach (string failure in t.Failures)
            {
                writer.Write($"- {Escape(failure)}\n");
            }

            if (t.Failures.Count > 0)
            {
                writer.Write('\n');
            }
        }

        writer.Write($"Per-second timeline: {report.Timeline.Count} rows; percentile spectrum: {report.Spectrum.Count} rows (see the CSV, JSON and HTML files).\n");
    }

    private static void Row(TextWriter writer, string name, LatencySummary s) =>
        writer.Write($"| {name} | {s.Count} | {ReportFormat.Latency(s.P50Ns)} | {ReportFormat.Latency(s.P90Ns)} | {ReportFormat.Latency(s.P99Ns)} | "
            + $"{ReportFormat.Latency(s.P999Ns)} | {ReportFormat.Latency(s.P9999Ns)} | {ReportFormat.Latency(s.MaxNs)} | {ReportFormat.Latency(s.MeanNs)} |\n");

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
