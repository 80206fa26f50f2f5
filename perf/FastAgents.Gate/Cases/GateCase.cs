using System.Diagnostics;
using FastAgents.Gate.Comparison;

namespace FastAgents.Gate.Cases;

/// <summary>
/// One case of the gate: our code and a peer doing the same work, measured in the same process in alternating rounds
/// (ours first in even rounds, the peer first in odd ones). Each side is scored by its best round (highest rate,
/// lowest latency) and the case's ratio is ours over the peer's (for latencies the peer's over ours).
/// </summary>
/// <remarks>
/// Why the best round and not the median: on a two-core machine anything else running (a build, the other side's
/// threads winding down) only ever makes a round slower, by anything from nothing to several times; a side's best
/// round is the stable estimate of what it can do, and a regression lowers every round, the best included. The median
/// moved by a factor of two between runs of an unchanged tree on a busy machine; the best moves far less.
/// </remarks>
internal abstract class GateCase
{
    /// <summary>When set, each round's figures are printed (to judge the spread).</summary>
    public static TextWriter? Trace { get; set; }

    /// <summary>A short name for progress lines (a case may report several measurements).</summary>
    public abstract string Title { get; }

    /// <summary>Length of the deliberate slowdown per operation on our side, in nanoseconds.</summary>
    public abstract double SlowdownNanoseconds { get; }

    /// <summary>Runs the case; <paramref name="slowdown"/> adds <see cref="SlowdownNanoseconds"/> per operation to our side.</summary>
    public IReadOnlyList<CaseMeasurement> Run(int rounds, bool slowdown)
    {
        if (slowdown)
        {
            Slowdown.Set(SlowdownNanoseconds);
            return Run<SpinCost>(rounds);
        }

        return Run<NoCost>(rounds);
    }

    protected abstract IReadOnlyList<CaseMeasurement> Run<TCost>(int rounds)
        where TCost : struct, IOpCost;

    /// <summary>Lets the previous phase's threads park and collects garbage, so a phase starts from the same state.</summary>
    protected static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Thread.Sleep(30);
    }

    /// <summary>True when our side goes first in <paramref name="round"/>'s <paramref name="phase"/> (0 or 1).</summary>
    protected static bool OursAt(int round, int phase) => ((round + phase) & 1) == 0;

    /// <summary>Prints one round's figures when tracing.</summary>
    protected static void TraceRound(string name, int round, double ours, double peer, double ratio) =>
        Trace?.WriteLine(FormattableString.Invariant($"    {name} round {round}: ours {ours:0.###} peer {peer:0.###} ratio {ratio:0.00#}"));

    /// <summary>The best of a side's rounds for a throughput: the highest.</summary>
    protected static double BestRate(List<double> rates) => rates.Count == 0 ? double.NaN : rates.Max();

    /// <summary>The best of a side's rounds for a latency: the lowest.</summary>
    protected static double BestLatency(List<double> latencies) => latencies.Count == 0 ? double.NaN : latencies.Min();

    /// <summary>A throughput case's measurement from each side's rounds.</summary>
    protected static CaseMeasurement RateMeasurement(string name, List<double> ours, List<double> peer, long oursBytesPerOp, long peerBytesPerOp)
    {
        double o = BestRate(ours);
        double p = BestRate(peer);
        return new CaseMeasurement(name, CaseMeasurement.PerSecond, o, p, o / p, oursBytesPerOp, peerBytesPerOp);
    }

    /// <summary>A latency case's measurement from each side's rounds (ratio: the peer's latency over ours).</summary>
    protected static CaseMeasurement LatencyMeasurement(string name, List<double> ours, List<double> peer, long oursBytesPerOp, long peerBytesPerOp)
    {
        double o = BestLatency(ours);
        double p = BestLatency(peer);
        return new CaseMeasurement(name, CaseMeasurement.Nanoseconds, o, p, p / Math.Max(1, o), oursBytesPerOp, peerBytesPerOp);
    }

    /// <summary>
    /// The rounds of a throughput case: in each round both sides do <paramref name="operationsPerRound"/> operations,
    /// in the order <see cref="OursAt"/> gives, each phase after <see cref="Settle"/>, timed and with its allocations
    /// counted (for the whole process, or for the calling thread when both sides run on it).
    /// </summary>
    protected static CaseMeasurement RateRounds(string name, int rounds, long operationsPerRound, Action ours, Action peer, bool wholeProcess)
    {
        var oursRates = new List<double>(rounds);
        var peerRates = new List<double>(rounds);
        long oursBytes = long.MaxValue;
        long peerBytes = long.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            double oursRate = 0;
            double peerRate = 0;
            for (int phase = 0; phase < 2; phase++)
            {
                Settle();
                bool oursNow = OursAt(r, phase);
                long before = Allocated(wholeProcess);
                long start = Stopwatch.GetTimestamp();
                (oursNow ? ours : peer)();
                double rate = operationsPerRound / Stopwatch.GetElapsedTime(start).TotalSeconds;
                long bytes = Allocated(wholeProcess) - before;
                if (oursNow)
                {
                    oursRate = rate;
                    oursBytes = Math.Min(oursBytes, bytes);
                }
                else
                {
                    peerRate = rate;
                    peerBytes = Math.Min(peerBytes, bytes);
                }
            }

            oursRates.Add(oursRate);
            peerRates.Add(peerRate);
            TraceRound(name, r, oursRate, peerRate, oursRate / peerRate);
        }

        return RateMeasurement(name, oursRates, peerRates, PerOp(oursBytes, operationsPerRound), PerOp(peerBytes, operationsPerRound));
    }

    /// <summary>
    /// One round of a latency case: both sides in the order <see cref="OursAt"/> gives, each after <see cref="Settle"/>,
    /// with the process's allocation counted around each; the least bytes seen per side are kept (the steady state).
    /// </summary>
    protected static void LatencyRound(int round, Action ours, Action peer, ref long oursBytes, ref long peerBytes)
    {
        for (int phase = 0; phase < 2; phase++)
        {
            Settle();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            if (OursAt(round, phase))
            {
                ours();
                oursBytes = Math.Min(oursBytes, GC.GetTotalAllocatedBytes(precise: true) - before);
            }
            else
            {
                peer();
                peerBytes = Math.Min(peerBytes, GC.GetTotalAllocatedBytes(precise: true) - before);
            }
        }
    }

    private static long Allocated(bool wholeProcess) =>
        wholeProcess ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();

    protected static long PerOp(long bytes, long operations) => operations > 0 ? (long)Math.Round(bytes / (double)operations) : 0;
}
