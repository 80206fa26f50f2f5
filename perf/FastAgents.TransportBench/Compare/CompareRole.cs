using System.Globalization;

namespace FastAgents.TransportBench.Compare;

/// <summary>
/// The orchestrator: every round runs every selected variant once, in fresh processes, starting at variant
/// (round mod n) so that no variant always runs first (warm caches, page cache, CPU frequency), then reports.
/// </summary>
internal static class CompareRole
{
    public const string Usage =
        "compare [--rounds 3] [--seconds 5] [--warmup 5] [--only relay,http,...] [--reference relay] [--peer http] " +
        "[--http-concurrency 64] [--linger 1] [--ready-timeout 60] [--exit-grace 30]";

    public static int Run(RoleArguments args)
    {
        CompareOptions options = CompareOptions.Parse(args);
        List<Variant> variants = Select(Catalog.Default.Variants, options.Only);

        Console.WriteLine($"transport bench: {string.Join(", ", variants.Select(v => v.Name))}; {options.Rounds} round(s); children: {SelfLauncher.Command}");
        foreach (Variant variant in variants)
        {
            Console.WriteLine($"  {variant.Name}: {variant.Description}");
        }

        var runs = variants.ToDictionary(v => v.Name, _ => new List<VariantRun>(), StringComparer.Ordinal);
        for (int round = 0; round < options.Rounds; round++)
        {
            for (int i = 0; i < variants.Count; i++)
            {
                Variant variant = variants[(round + i) % variants.Count];
                VariantRun run = VariantRunner.Run(variant, options);
                runs[variant.Name].Add(run);
                Console.WriteLine(Describe(round, options.Rounds, run));
            }
        }

        List<VariantSummary> summaries = [.. variants.Select(v => VariantSummary.From(v.Name, runs[v.Name]))];
        ReportWriter.Write(Console.Out, summaries, options);
        return summaries.All(s => s.Succeeded == s.Rounds) ? 0 : 1;
    }

    private static List<Variant> Select(IReadOnlyList<Variant> all, IReadOnlyList<string>? only)
    {
        if (only is null)
        {
            return [.. all];
        }

        var selected = new List<Variant>();
        foreach (string name in only)
        {
            Variant variant = all.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal))
                ?? throw new UsageException($"unknown variant '{name}' in --only; known: {string.Join(", ", all.Select(v => v.Name))}.");
            if (!selected.Contains(variant))
            {
                selected.Add(variant);
            }
        }

        return selected;
    }

    private static string Describe(int round, int rounds, VariantRun run)
    {
        string prefix = string.Create(CultureInfo.InvariantCulture, $"round {round + 1}/{rounds} {run.Variant}:");
        if (!run.Succeeded)
        {
            return $"{prefix} FAILED\n  {run.Failure}";
        }

        IEnumerable<string> parts = run.Results.Select(r => string.Create(
            CultureInfo.InvariantCulture,
            $"{r.Key} {r.Value.MessagesPerSecond:N0}/s over {r.Value.Seconds:F2} s, {r.Value.Errors} err"));
        return string.Create(CultureInfo.InvariantCulture, $"{prefix} {run.MessagesPerSecond:N0} msg/s ({string.Join("; ", parts)})");
    }
}
