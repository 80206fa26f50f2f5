namespace FastAgents.TransportBench.Compare;

/// <summary>A variant's figures over all rounds: throughput statistics of its successful runs and bytes allocated per message by role.</summary>
internal sealed class VariantSummary
{
    private VariantSummary(string name, int rounds, IReadOnlyList<double> throughputs, IReadOnlyList<(string Label, double BytesPerMessage)> allocation, long errors)
    {
        Name = name;
        Rounds = rounds;
        Succeeded = throughputs.Count;
        Errors = errors;
        Allocation = allocation;
        if (throughputs.Count > 0)
        {
            double[] sorted = [.. throughputs.Order()];
            int middle = sorted.Length / 2;
            Median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
            Mean = sorted.Average();
            Min = sorted[0];
            Max = sorted[^1];
        }
    }

    public string Name { get; }

    public int Rounds { get; }

    public int Succeeded { get; }

    public double Median { get; }

    public double Mean { get; }

    public double Min { get; }

    public double Max { get; }

    /// <summary>Sum of every role's error count over the successful runs (sequence gaps, bad bodies, failed requests).</summary>
    public long Errors { get; }

    /// <summary>Per process label, in plan order: allocated bytes over messages, both summed across successful runs.</summary>
    public IReadOnlyList<(string Label, double BytesPerMessage)> Allocation { get; }

    public static VariantSummary From(string name, IReadOnlyList<VariantRun> runs)
    {
        var successes = runs.Where(r => r.Succeeded).ToList();
        var totals = new List<(string Label, long Bytes, long Messages)>();
        long errors = 0;
        foreach (VariantRun run in successes)
        {
            foreach ((string label, ResultRecord result) in run.Results)
            {
                errors += result.Errors;
                int index = totals.FindIndex(t => t.Label == label);
                if (index < 0)
                {
                    totals.Add((label, result.AllocatedBytes, result.Messages));
                }
                else
                {
                    totals[index] = (label, totals[index].Bytes + result.AllocatedBytes, totals[index].Messages + result.Messages);
                }
            }
        }

        List<(string, double)> allocation = [.. totals.Select(t => (t.Label, t.Messages > 0 ? (double)t.Bytes / t.Messages : double.NaN))];
        return new VariantSummary(name, runs.Count, [.. successes.Select(r => r.MessagesPerSecond)], allocation, errors);
    }

    public double? BytesPerMessage(string label)
    {
        foreach ((string l, double value) in Allocation)
        {
            if (l == label)
            {
                return value;
            }
        }

        return null;
    }
}
