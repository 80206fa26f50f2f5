namespace FastAgents.Gate.Comparison;

/// <summary>
/// Combines the measurements of several gate processes into one per case: the median ratio, the medians of our figure
/// and the peer's, and the highest bytes per operation any process saw (an allocation anywhere is an allocation).
/// </summary>
/// <remarks>
/// Why processes and medians: on a two-core machine a process settles into a mode (where the scheduler put its threads,
/// what the JIT made of a loop) that moves a case's ratio by up to a factor of two for its whole life, so rounds inside
/// one process cannot average it out. Fresh processes draw fresh modes; the median of their ratios ignores the odd one.
/// </remarks>
public static class MeasurementSet
{
    /// <summary>One measurement per case name, in the order cases first appear.</summary>
    public static IReadOnlyList<CaseMeasurement> Combine(IReadOnlyList<IReadOnlyList<CaseMeasurement>> processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var order = new List<string>();
        var byName = new Dictionary<string, List<CaseMeasurement>>(StringComparer.Ordinal);
        foreach (IReadOnlyList<CaseMeasurement> process in processes)
        {
            foreach (CaseMeasurement m in process)
            {
                if (!byName.TryGetValue(m.Name, out List<CaseMeasurement>? list))
                {
                    byName[m.Name] = list = [];
                    order.Add(m.Name);
                }

                list.Add(m);
            }
        }

        var combined = new List<CaseMeasurement>(order.Count);
        foreach (string name in order)
        {
            List<CaseMeasurement> runs = byName[name];
            combined.Add(new CaseMeasurement(
                name,
                runs[0].Unit,
                Median(runs.Select(r => r.Ours)),
                Median(runs.Select(r => r.Peer)),
                Median(runs.Select(r => r.Ratio)),
                runs.Max(r => r.OursBytesPerOp),
                runs.Max(r => r.PeerBytesPerOp)));
        }

        return combined;
    }

    /// <summary>The median (the mean of the middle two for an even count); NaN for none, and NaN if any value is NaN.</summary>
    public static double Median(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] sorted = [.. values];
        if (sorted.Length == 0 || sorted.Any(double.IsNaN))
        {
            return double.NaN;
        }

        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
