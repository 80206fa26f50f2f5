using System.Globalization;
using System.Net;
using System.Text;

namespace FastAgents.Perf.Reports;

/// <summary>
/// Writes a report as one self-contained HTML page: the summary and latency tables, a latency-by-percentile
/// chart on HDR's log-scaled percentile axis (0%, 90%, 99%, 99.9%, ... equally spaced) and a
/// throughput-per-second timeline, both inline SVG. No script, stylesheet, font or image is loaded.
/// </summary>
public static class HtmlReportWriter
{
    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        svg { display: block; margin: 1.5em 0; }
        .pass { color: #1a7f37; } .fail { color: #cf222e; }
        """;

    /// <summary>Writes <paramref name="report"/> to <paramref name="writer"/>.</summary>
    public static void Write(LoadReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>Load report: {Encode(report.Title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Load report: {Encode(report.Title)}</h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(report.Profile)}<br>started {report.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC; measured {ReportFormat.Number(report.ElapsedSeconds)} s after {ReportFormat.Number(report.WarmUpSeconds)} s of warm-up (excluded).<br>");
        html.Append(report.HasIntendedTime
            ? "Response time is measured from each send's intended time (corrected for coordinated omission); service time from its actual start.</p>\n"
            : "Closed model: latency is service time, from each send's actual start.</p>\n");

        if (report.Thresholds is ThresholdResult t)
        {
            html.Append(t.Passed ? "<p class=\"pass\"><strong>Thresholds passed</strong>" : "<p class=\"fail\"><strong>Thresholds failed</strong>");
            html.Append(CultureInfo.InvariantCulture, $": {Encode(string.Join("; ", t.Checked))}</p>\n");
            if (t.Failures.Count > 0)
            {
                html.Append("<ul class=\"fail\">\n");
                foreach (string failure in t.Failures)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li>{Encode(failure)}</li>\n");
                }

                html.Append("</ul>\n");
            }
        }

        html.Append("<table>\n<tr><th>issued</th><th>count</th><th>ok</th><th>fail</th><th>dropped</th><th>late</th><th>unfinished</th><th>throughput (ok/s)</th><th>offered (/s)</th><th>achieved (/s)</th><th>generator error</th><th>worst second</th><th>fail rate</th><th>B/msg</th></tr>\n");
        html.Append(CultureInfo.InvariantCulture, $"<tr><td>{report.Issued}</td><td>{report.Count}</td><td>{report.Ok}</td><td>{report.Fail}</td><td>{report.Dropped}</td><td>{report.Late}</td><td>{report.Unfinished}</td>");
        html.Append(CultureInfo.InvariantCulture, $"<td>{ReportFormat.Number(report.Throughput, "0.#")}</td><td>{ReportFormat.Number(report.OfferedRate, "0.#")}</td><td>{ReportFormat.Number(report.AchievedRate, "0.#")}</td>");
        html.Append(CultureInfo.InvariantCulture, $"<td>{ReportFormat.Percent(report.GeneratorError)}</td><td>{ReportFormat.Percent(report.WorstSecondError)}</td><td>{ReportFormat.Percent(report.FailRate)}</td><td>{ReportFormat.Number(report.BytesPerMessage, "0.0")}</td></tr>\n</table>\n");

        html.Append("<table>\n<tr><th>latency</th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>p99.99</th><th>max</th><th>mean</th></tr>\n");
        foreach ((string label, LatencySummary summary) in report.LatencyRows())
        {
            LatencyRow(html, label, summary);
        }

        html.Append("</table>\n");
        PercentileChart(html, report);
        ThroughputChart(html, report);
        html.Append("</body>\n</html>\n");
        writer.Write(html.ToString());
    }

    private static void LatencyRow(StringBuilder html, string name, LatencySummary s) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(name)}</td><td>{s.Count}</td><td>{ReportFormat.Latency(s.P50Ns)}</td><td>{ReportFormat.Latency(s.P90Ns)}</td><td>{ReportFormat.Latency(s.P99Ns)}</td><td>{ReportFormat.Latency(s.P999Ns)}</td><td>{ReportFormat.Latency(s.P9999Ns)}</td><td>{ReportFormat.Latency(s.MaxNs)}</td><td>{ReportFormat.Latency(s.MeanNs)}</td></tr>\n");

    private static void PercentileChart(StringBuilder html, LoadReport report)
    {
        // x = log10(1 / (1 - p)): 0 at the median's left edge, 1 at 90%, 2 at 99%, 3 at 99.9% ...
        double maxX = 2;
        var response = new List<(double X, double Y)>();
        var service = new List<(double X, double Y)>();
        long maxNs = 0;
        foreach (SpectrumRow row in report.Spectrum)
        {
            maxNs = Math.Max(maxNs, Math.Max(row.ResponseNs, row.ServiceNs));
        }

        (double divisor, string unit) = Unit(maxNs);
        foreach (SpectrumRow row in report.Spectrum)
        {
            if (row.InverseTail is not double inverse)
            {
                continue;
            }

            double x = Math.Log10(inverse);
            maxX = Math.Max(maxX, Math.Ceiling(x));
            response.Add((x, row.ResponseNs / divisor));
            service.Add((x, row.ServiceNs / divisor));
        }

        var ticks = new List<(double X, string Label)>();
        for (int k = 0; k <= (int)maxX; k++)
        {
            ticks.Add((k, (100 - (100 / Math.Pow(10, k))).ToString("0.#####", CultureInfo.InvariantCulture) + "%"));
        }

        var chart = new SvgLineChart
        {
            Title = "Latency by percentile",
            XLabel = "percentile",
            YLabel = $"latency ({unit})",
            XMin = 0,
            XMax = maxX,
            XTicks = ticks,
        };
        if (report.HasIntendedTime)
        {
            chart.Add("response (from intended time)", "#1f6feb", response);
        }

        chart.Add(report.HasIntendedTime ? "service (from actual start)" : "service", "#d4700b", service);
        chart.Write(html);
    }

    private static void ThroughputChart(StringBuilder html, LoadReport report)
    {
        var ok = new List<(double X, double Y)>();
        var fail = new List<(double X, double Y)>();
        var sent = new List<(double X, double Y)>();
        var dropped = new List<(double X, double Y)>();
        long anyFail = 0;
        long anyDropped = 0;
        foreach (var s in report.Timeline)
        {
            ok.Add((s.Second, s.Ok));
            fail.Add((s.Second, s.Fail));
            sent.Add((s.Second, s.Sent));
            dropped.Add((s.Second, s.Dropped));
            anyFail += s.Fail;
            anyDropped += s.Dropped;
        }

        int seconds = Math.Max(1, report.Timeline.Count - 1);
        int step = (int)Math.Max(1, SvgLineChart.NiceStep(seconds / 10.0));
        var ticks = new List<(double X, string Label)>();
        for (int x = 0; x <= seconds; x += step)
        {
            ticks.Add((x, x.ToString(CultureInfo.InvariantCulture)));
        }

        var chart = new SvgLineChart
        {
            Title = "Throughput per second",
            XLabel = "seconds after warm-up",
            YLabel = "messages per second",
            XMin = 0,
            XMax = seconds,
            XTicks = ticks,
            YFormat = static y => y.ToString("#,0", CultureInfo.InvariantCulture),
        };
        chart.Add("ok", "#1a7f37", ok);
        if (report.HasIntendedTime)
        {
            chart.Add("sent", "#888888", sent, dashed: true);
        }

        if (anyFail > 0)
        {
            chart.Add("fail", "#cf222e", fail);
        }

        if (anyDropped > 0)
        {
            chart.Add("dropped", "#8250df", dropped);
        }

        chart.Write(html);
    }

    private static (double Divisor, string Unit) Unit(long maxNs) => maxNs switch
    {
        < 10_000 => (1, "ns"),
        < 10_000_000 => (1e3, "µs"),
        < 10_000_000_000 => (1e6, "ms"),
        _ => (1e9, "s"),
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
