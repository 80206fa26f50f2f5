using System.Globalization;

namespace FastAgents.TransportBench.Compare;

/// <summary>
/// The final report: a Markdown table for people and one <c>SUMMARY variant=...</c> line per variant for scripts.
/// Ratios divide medians; "n/a" when the reference or the peer variant did not run or never succeeded.
/// </summary>
internal static class ReportWriter
{
    public static void Write(TextWriter writer, IReadOnlyList<VariantSummary> summaries, CompareOptions options)
    {
        VariantSummary? reference = summaries.FirstOrDefault(s => s.Name == options.Reference && s.Succeeded > 0);
        VariantSummary? peer = summaries.FirstOrDefault(s => s.Name == options.Peer && s.Succeeded > 0);
        List<string> labels = [.. summaries.SelectMany(s => s.Allocation.Select(a => a.Label)).Distinct()];

        writer.WriteLine();
        writer.WriteLine(Invariant(
            $"Messages/s = the receiver's messages over its measured window ({options.WarmupSeconds} s warm-up from its first message, then {options.Seconds} s); {options.Rounds} round(s), fresh processes per run, start order rotated per round."));
        writer.WriteLine();
        var header = new List<string> { "variant", "ok", "median msg/s", "mean msg/s", "min msg/s", "max msg/s", "errors" };
        header.AddRange(labels.Select(l => $"{l} B/msg"));
        header.Add($"vs {options.Reference}");
        header.Add($"vs {options.Peer}");
        writer.WriteLine($"| {string.Join(" | ", header)} |");
        writer.WriteLine($"|{string.Concat(header.Select((_, i) => i == 0 ? " --- |" : " ---: |"))}");
        foreach (VariantSummary s in summaries)
        {
            bool any = s.Succeeded > 0;
            var cells = new List<string>
            {
                s.Name,
                Invariant($"{s.Succeeded}/{s.Rounds}"),
                any ? Rate(s.Median) : "-",
                any ? Rate(s.Mean) : "-",
                any ? Rate(s.Min) : "-",
                any ? Rate(s.Max) : "-",
                any ? Invariant($"{s.Errors}") : "-",
            };
            cells.AddRange(labels.Select(l => s.BytesPerMessage(l) is { } b && !double.IsNaN(b) ? Invariant($"{b:F2}") : "-"));
            cells.Add(Ratio(s, reference) ?? "n/a");
            cells.Add(Ratio(s, peer) ?? "n/a");
            writer.WriteLine($"| {string.Join(" | ", cells)} |");
        }

        writer.WriteLine();
        foreach (VariantSummary s in summaries)
        {
            var line = new System.Text.StringBuilder();
            line.Append(Invariant($"SUMMARY variant={s.Name} rounds={s.Rounds} ok={s.Succeeded}"));
            if (s.Succeeded > 0)
            {
                line.Append(Invariant($" median_msgs_per_s={s.Median:F0} mean_msgs_per_s={s.Mean:F0} min_msgs_per_s={s.Min:F0} max_msgs_per_s={s.Max:F0} errors={s.Errors}"));
            }
            else
            {
                line.Append(" median_msgs_per_s=na mean_msgs_per_s=na min_msgs_per_s=na max_msgs_per_s=na errors=na");
            }

            foreach ((string label, double bytes) in s.Allocation)
            {
                line.Append(Invariant($" alloc_bytes_per_msg_{label}={bytes:F3}"));
            }

            line.Append(Invariant($" ratio_to_{options.Reference}={Ratio(s, reference) ?? "na"} ratio_to_{options.Peer}={Ratio(s, peer) ?? "na"}"));
            writer.WriteLine(line.ToString());
        }
    }

    private static string? Ratio(VariantSummary s, VariantSummary? baseline) =>
        s.Succeeded > 0 && baseline is { Median: > 0 } ? Invariant($"{s.Median / baseline.Median:F4}") : null;

    private static string Rate(double messagesPerSecond) => Invariant($"{messagesPerSecond:N0}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
