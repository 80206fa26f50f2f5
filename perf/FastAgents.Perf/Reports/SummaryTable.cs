namespace FastAgents.Perf.Reports;

/// <summary>The table printed at the end of a run: counts, throughput, percentiles and bytes per message, in fixed-width columns.</summary>
public static class SummaryTable
{
    /// <summary>Writes the table for <paramref name="report"/> to <paramref name="writer"/>.</summary>
    public static void Write(LoadReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine($"{report.Title}: {report.Profile}");
        writer.WriteLine($"{"count",12}{"ok",12}{"fail",10}{"dropped",10}{"late",10}{"ok/s",14}{"B/msg",9}");
        writer.WriteLine($"{report.Count,12}{report.Ok,12}{report.Fail,10}{report.Dropped,10}{report.Late,10}{ReportFormat.Number(report.Throughput, "0.0"),14}{ReportFormat.Number(report.BytesPerMessage, "0.0"),9}");
        writer.WriteLine($"{"latency",-10}{"p50",11}{"p90",11}{"p99",11}{"p99.9",11}{"p99.99",11}{"max",11}");
        if (report.HasIntendedTime)
        {
            Row(writer, "response", report.Response);
        }

        Row(writer, "service", report.Service);
        if (report.HasIntendedTime)
        {
            writer.WriteLine($"offered {ReportFormat.Number(report.OfferedRate, "0.#")}/s, achieved {ReportFormat.Number(report.AchievedRate, "0.#")}/s, generator error {ReportFormat.Percent(report.GeneratorError)} (worst second {ReportFormat.Percent(report.WorstSecondError)}), send lag p99 {ReportFormat.Latency(report.SendLag.P99Ns)}");
        }

        if (report.Thresholds is ThresholdResult t)
        {
            writer.WriteLine(t.Passed ? "thresholds: passed" : "thresholds: FAILED");
            foreach (string failure in t.Failures)
            {
                writer.WriteLine($"  {failure}");
            }
        }
    }

    private static void Row(TextWriter writer, string name, LatencySummary s) =>
        writer.WriteLine($"{name,-10}{ReportFormat.Latency(s.P50Ns),11}{ReportFormat.Latency(s.P90Ns),11}{ReportFormat.Latency(s.P99Ns),11}{ReportFormat.Latency(s.P999Ns),11}{ReportFormat.Latency(s.P9999Ns),11}{ReportFormat.Latency(s.MaxNs),11}");
}
