using System.Globalization;
using System.Text;
using System.Text.Json;
using FastAgents.Perf.Load;
using FastAgents.Perf.Reports;
using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class ReportWriterTests
{
    [Fact]
    public void WriteSummary_Csv_ParsesBackToTheReport()
    {
        LoadReport report = SampleReport();
        var text = new StringWriter();

        CsvReportWriter.WriteSummary(report, text);
        List<string[]> rows = Csv.Parse(text.ToString());

        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0].Length, rows[1].Length);
        var row = new Dictionary<string, string>();
        for (int i = 0; i < rows[0].Length; i++)
        {
            row[rows[0][i]] = rows[1][i];
        }

        Assert.Equal(report.Title, row["title"]);
        Assert.Equal(report.Profile, row["profile"]);
        Assert.Equal("open", row["model"]);
        Assert.Equal(report.Count, long.Parse(row["count"], CultureInfo.InvariantCulture));
        Assert.Equal(report.Ok, long.Parse(row["ok"], CultureInfo.InvariantCulture));
        Assert.Equal(report.Fail, long.Parse(row["fail"], CultureInfo.InvariantCulture));
        Assert.Equal(report.Dropped, long.Parse(row["dropped"], CultureInfo.InvariantCulture));
        Assert.Equal(report.Response.P99Ns, Nanoseconds(row["response_p99_us"]));
        Assert.Equal(report.Service.MaxNs, Nanoseconds(row["service_max_us"]));
        Assert.Equal(report.Throughput, double.Parse(row["throughput"], CultureInfo.InvariantCulture), 5);
        Assert.Equal("fail", row["thresholds"]);
    }

    [Fact]
    public void WriteTimeline_Csv_ParsesBackToTheTimeline()
    {
        LoadReport report = SampleReport();
        var text = new StringWriter();

        CsvReportWriter.WriteTimeline(report, text);
        List<string[]> rows = Csv.Parse(text.ToString());

        Assert.Equal(["second", "sent", "started", "dropped", "late", "completed", "ok", "fail", "p99_us"], rows[0]);
        Assert.Equal(report.Timeline.Count, rows.Count - 1);
        for (int i = 0; i < report.Timeline.Count; i++)
        {
            TimelineSecond expected = report.Timeline[i];
            string[] row = rows[i + 1];
            Assert.Equal(expected.Second, long.Parse(row[0], CultureInfo.InvariantCulture));
            Assert.Equal(expected.Sent, long.Parse(row[1], CultureInfo.InvariantCulture));
            Assert.Equal(expected.Started, long.Parse(row[2], CultureInfo.InvariantCulture));
            Assert.Equal(expected.Ok, long.Parse(row[6], CultureInfo.InvariantCulture));
            Assert.Equal(expected.Fail, long.Parse(row[7], CultureInfo.InvariantCulture));
            Assert.Equal(expected.P99Nanoseconds, Nanoseconds(row[8]));
        }
    }

    [Fact]
    public void WriteSpectrum_Csv_IsTheHdrPercentileLadder()
    {
        LoadReport report = SampleReport();
        var text = new StringWriter();

        CsvReportWriter.WriteSpectrum(report, text);
        List<string[]> rows = Csv.Parse(text.ToString());

        Assert.Equal(["percentile", "response_us", "service_us", "count", "inverse_tail"], rows[0]);
        Assert.Equal(report.Spectrum.Count, rows.Count - 1);
        double[] ladder = [0, 10, 20, 30, 40, 50, 55, 60, 65, 70, 75, 77.5];
        for (int i = 0; i < ladder.Length; i++)
        {
            Assert.Equal(ladder[i], double.Parse(rows[i + 1][0], CultureInfo.InvariantCulture), 9);
        }

        Assert.Equal("100", rows[^1][0]);
        Assert.Equal(string.Empty, rows[^1][4]);
        Assert.Equal(report.Response.MaxNs, Nanoseconds(rows[^1][1]));
        long previous = 0;
        foreach (string[] row in rows.Skip(1))
        {
            long value = Nanoseconds(row[1]);
            Assert.True(value >= previous, "the spectrum must not decrease");
            previous = value;
        }
    }

    [Fact]
    public void WriteJson_ReadBack_RoundTripsEveryField()
    {
        LoadReport report = SampleReport();
        var stream = new MemoryStream();

        JsonReportWriter.Write(report, stream);
        stream.Position = 0;
        LoadReport back = JsonReportWriter.Read(stream);

        Assert.Equal(report.Title, back.Title);
        Assert.Equal(report.Model, back.Model);
        Assert.Equal(report.Profile, back.Profile);
        Assert.Equal(report.StartedUtc, back.StartedUtc);
        Assert.Equal(report.Count, back.Count);
        Assert.Equal(report.Ok, back.Ok);
        Assert.Equal(report.Fail, back.Fail);
        Assert.Equal(report.Late, back.Late);
        Assert.Equal(report.Dropped, back.Dropped);
        Assert.Equal(report.Throughput, back.Throughput);
        Assert.Equal(report.GeneratorError, back.GeneratorError);
        Assert.Equal(report.WorstSecondError, back.WorstSecondError);
        Assert.Equal(report.Response.P9999Ns, back.Response.P9999Ns);
        Assert.Equal(report.Service.MeanNs, back.Service.MeanNs);
        Assert.Equal(report.Timeline, back.Timeline);
        Assert.Equal(report.Spectrum, back.Spectrum);
        Assert.NotNull(back.Thresholds);
        Assert.False(back.Thresholds.Passed);
        Assert.Equal(report.Thresholds!.Failures, back.Thresholds.Failures);

        using JsonDocument document = JsonDocument.Parse(JsonReportWriter.ToJson(report));
        Assert.Equal("Open", document.RootElement.GetProperty("model").GetString());
        Assert.Equal(report.Response.P99Ns, document.RootElement.GetProperty("response").GetProperty("p99Ns").GetInt64());
    }

    [Fact]
    public void WriteMarkdown_SampleReport_HasTheSummaryAndLatencyTables()
    {
        LoadReport report = SampleReport();
        var text = new StringWriter();

        MarkdownReportWriter.Write(report, text);
        string markdown = text.ToString();

        Assert.Contains("# Load report: sample", markdown, StringComparison.Ordinal);
        Assert.Contains("| issued | count | ok | fail | dropped | late |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| {report.Issued} | {report.Count} | {report.Ok} | {report.Fail} |", markdown, StringComparison.Ordinal);
        Assert.Contains("| response (from intended time) |", markdown, StringComparison.Ordinal);
        Assert.Contains("**Failed**", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteHtml_SampleReport_IsSelfContainedWithTwoCharts()
    {
        LoadReport report = SampleReport();
        var text = new StringWriter();

        HtmlReportWriter.Write(report, text);
        string html = text.ToString();

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(html, "<svg "));
        Assert.Contains("Latency by percentile", html, StringComparison.Ordinal);
        Assert.Contains(">99.9%<", html, StringComparison.Ordinal);
        Assert.Contains("Throughput per second", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
        Assert.Contains("sample &lt;html&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMarkdownAndHtml_ClosedModel_ShowServiceTimeOnly()
    {
        LoadResult result = ClosedModelRunner.Run(new ImmediateTarget(), new ClosedModelOptions { Concurrency = 1, Duration = TimeSpan.FromSeconds(30), MaxCount = 1000 });
        LoadReport report = LoadReport.Create("closed", result);
        var markdown = new StringWriter();
        var html = new StringWriter();

        MarkdownReportWriter.Write(report, markdown);
        HtmlReportWriter.Write(report, html);

        Assert.False(report.HasIntendedTime);
        Assert.Equal(1000, report.Ok);
        Assert.Contains("closed model", markdown.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("response (from intended time)", markdown.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("response (from intended time)", html.ToString(), StringComparison.Ordinal);
        Assert.Null(report.Thresholds);
    }

    [Fact]
    public void WriteAll_Folder_WritesSixFiles()
    {
        string directory = Path.Combine(Path.GetTempPath(), "fastagents-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            IReadOnlyList<string> paths = ReportFiles.WriteAll(SampleReport(), directory, "run");

            Assert.Equal(6, paths.Count);
            foreach (string path in paths)
            {
                Assert.True(new FileInfo(path).Length > 0, path);
            }

            using FileStream json = File.OpenRead(Path.Combine(directory, "run.json"));
            Assert.Equal("sample <html> test", JsonReportWriter.Read(json).Title.Replace("\"", string.Empty, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void SummaryTable_SampleReport_PrintsCountsAndPercentiles()
    {
        var text = new StringWriter();

        SummaryTable.Write(SampleReport(), text);

        Assert.Contains("p99.99", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("thresholds: FAILED", text.ToString(), StringComparison.Ordinal);
    }

    // One run shared by the tests of this class (they only read it).
    private static readonly Lazy<LoadReport> s_sample = new(CreateSampleReport);

    private static LoadReport SampleReport() => s_sample.Value;

    /// <summary>A short real run with failures, so every part of the report holds data; thresholds set to fail.</summary>
    private static LoadReport CreateSampleReport()
    {
        var options = new OpenModelOptions { Schedule = RateSchedule.Ramp(2000, 6000, TimeSpan.FromSeconds(2)) };
        LoadResult result = OpenModelRunner.Run(new EveryTenthFails(), options);
        return LoadReport.Create("sample <html> \"test\"", result, new LoadThresholds { MaxFailRate = 0.01 });
    }

    private static long Nanoseconds(string microseconds) =>
        (long)Math.Round(decimal.Parse(microseconds, CultureInfo.InvariantCulture) * 1000);

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private sealed class EveryTenthFails : ILoadTarget
    {
        public ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken) => new(sequence % 10 != 9);
    }

    /// <summary>An RFC 4180 reader: quoted fields, doubled quotes, LF or CRLF rows.</summary>
    private static class Csv
    {
        public static List<string[]> Parse(string text)
        {
            var rows = new List<string[]>();
            var row = new List<string>();
            var field = new StringBuilder();
            bool quoted = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    row.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '\n')
                {
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add([.. row]);
                    row.Clear();
                }
                else if (c != '\r')
                {
                    field.Append(c);
                }
            }

            return rows;
        }
    }
}
