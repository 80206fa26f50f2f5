using System.Text;

namespace FastAgents.Perf.Reports;

/// <summary>Writes every report format of a run into one folder.</summary>
public static class ReportFiles
{
    /// <summary>
    /// Writes <c>{name}.md</c>, <c>{name}-summary.csv</c>, <c>{name}-timeline.csv</c>, <c>{name}-spectrum.csv</c>,
    /// <c>{name}.json</c> and <c>{name}.html</c> into <paramref name="directory"/> (created if missing) and returns their paths.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(LoadReport report, string directory, string name = "load")
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Directory.CreateDirectory(directory);
        var paths = new List<string>(6);
        Text($"{name}.md", w => MarkdownReportWriter.Write(report, w));
        Text($"{name}-summary.csv", w => CsvReportWriter.WriteSummary(report, w));
        Text($"{name}-timeline.csv", w => CsvReportWriter.WriteTimeline(report, w));
        Text($"{name}-spectrum.csv", w => CsvReportWriter.WriteSpectrum(report, w));
        string json = Path.Combine(directory, $"{name}.json");
        using (FileStream stream = File.Create(json))
        {
            JsonReportWriter.Write(report, stream);
        }

        paths.Add(json);
        Text($"{name}.html", w => HtmlReportWriter.Write(report, w));
        return paths;

        void Text(string file, Action<TextWriter> write)
        {
            string path = Path.Combine(directory, file);
            using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                write(writer);
            }

            paths.Add(path);
        }
    }
}
