using System.Diagnostics;

namespace FastAgents.TransportBench.Compare;

/// <summary>
/// Runs one variant once in fresh processes: starts them in plan order (waiting for READY where asked), waits for all
/// of them under one deadline, and kills whatever is left when anything fails, so a run never hangs.
/// </summary>
internal static class VariantRunner
{
    public static VariantRun Run(Variant variant, CompareOptions options)
    {
        using var context = new VariantContext(options);
        IReadOnlyList<ProcessSpec> plan = variant.Plan(context);
        var children = new List<ChildProcess>(plan.Count);
        try
        {
            foreach (ProcessSpec spec in plan)
            {
                ChildProcess child = ChildProcess.Start(spec);
                children.Add(child);
                if (spec.WaitForReady && !child.WaitReady(options.ReadyTimeout))
                {
                    child.WaitExit(TimeSpan.FromSeconds(2)); // A process that quit at startup: let its stderr arrive for the report.
                    child.Kill();
                    return VariantRun.Failed(variant.Name, $"no READY within {options.ReadyTimeout.TotalSeconds:0} s from {child.Describe()}");
                }
            }

            TimeSpan budget = TimeSpan.FromSeconds(options.WarmupSeconds + options.Seconds + options.LingerSeconds) + options.ExitGrace;
            long started = Stopwatch.GetTimestamp();
            var hung = new List<ChildProcess>();
            foreach (ChildProcess child in children)
            {
                TimeSpan left = budget - Stopwatch.GetElapsedTime(started);
                if (!child.WaitExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                {
                    hung.Add(child);
                }
            }

            if (hung.Count > 0)
            {
                // Name every process still running at the deadline: the one that hangs first is often not the first one waited on.
                string names = string.Join("\n  ", hung.Select(c => c.Describe()));
                return VariantRun.Failed(variant.Name, $"still running {budget.TotalSeconds:0} s after the last start, killed:\n  {names}");
            }

            var results = new Dictionary<string, ResultRecord>(StringComparer.Ordinal);
            var problems = new List<string>();
            foreach (ChildProcess child in children)
            {
                if (child.ExitCode != 0)
                {
                    problems.Add($"failed: {child.Describe()}");
                }
                else if (child.Result is not { } result)
                {
                    problems.Add($"printed no RESULT line: {child.Describe()}");
                }
                else
                {
                    results[child.Spec.Label] = result;
                }
            }

            if (problems.Count == 0 && !results.ContainsKey(variant.ThroughputLabel))
            {
                problems.Add($"no process labelled '{variant.ThroughputLabel}' to take the throughput from");
            }

            return problems.Count == 0
                ? VariantRun.Success(variant.Name, results, results[variant.ThroughputLabel].MessagesPerSecond)
                : VariantRun.Failed(variant.Name, string.Join("\n  ", problems));
        }
        finally
        {
            foreach (ChildProcess child in children)
            {
                child.Kill();
                child.Dispose();
            }
        }
    }
}
