using System.Diagnostics;
using FastAgents.Gate.Comparison;
using FastAgents.Perf;
using FastAgents.Perf.Load;
using FastAgents.Runtime;
using static FastAgents.Gate.Cases.AgentMessages;

namespace FastAgents.Gate.Cases;

/// <summary>
/// <c>runtime.ask.p50</c> and <c>runtime.ask.p99</c>: round trips of asks made one after another by a thread outside
/// the agents (the gate's main thread, which waits for each reply by spinning, then yielding) to an agent on a worker
/// that answers at once: <c>AskAsync</c> against a Channel, a reader task and a TaskCompletionSource per ask. The ratio
/// is the peer's percentile over ours (how many times faster we are).
/// </summary>
internal sealed class AskCase : GateCase
{
    public const string P50Name = "runtime.ask.p50";
    public const string P99Name = "runtime.ask.p99";

    private const int Asks = 20_000;
    private static readonly AgentType s_type = AgentType.Register("gate.ask");

    public override string Title => "runtime.ask";

    public override double SlowdownNanoseconds => 20_000;

    protected override IReadOnlyList<CaseMeasurement> Run<TCost>(int rounds)
    {
        using var runtime = new AgentRuntime(new RuntimeOptions { Workers = 2, Name = "gate" });
        AgentId sink = runtime.Spawn(s_type, 1, static () => new SinkAgent(), new AgentOptions { Worker = 1 });
        using var peer = new ChannelAgents();
        var ours = new LogLinearHistogram();
        var theirs = new LogLinearHistogram();
        for (int warm = 0; warm < 3; warm++)
        {
            Ours<TCost>(runtime, sink, ours);
            peer.Ask(Asks, theirs);
        }

        var ours50 = new List<double>(rounds);
        var ours99 = new List<double>(rounds);
        var peer50 = new List<double>(rounds);
        var peer99 = new List<double>(rounds);
        long oursBytes = long.MaxValue;
        long peerBytes = long.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            ours.Reset();
            theirs.Reset();
            LatencyRound(r, () => Ours<TCost>(runtime, sink, ours), () => peer.Ask(Asks, theirs), ref oursBytes, ref peerBytes);

            ours50.Add(ours.ValueAtPercentile(50));
            ours99.Add(ours.ValueAtPercentile(99));
            peer50.Add(theirs.ValueAtPercentile(50));
            peer99.Add(theirs.ValueAtPercentile(99));
            TraceRound(P50Name, r, ours50[^1], peer50[^1], peer50[^1] / Math.Max(1, ours50[^1]));
            TraceRound(P99Name, r, ours99[^1], peer99[^1], peer99[^1] / Math.Max(1, ours99[^1]));
        }

        long oursPerOp = PerOp(oursBytes, Asks);
        long peerPerOp = PerOp(peerBytes, Asks);
        return
        [
            LatencyMeasurement(P50Name, ours50, peer50, oursPerOp, peerPerOp),
            LatencyMeasurement(P99Name, ours99, peer99, oursPerOp, peerPerOp),
        ];
    }

    private static void Ours<TCost>(AgentRuntime runtime, AgentId sink, LogLinearHistogram histogram)
        where TCost : struct, IOpCost
    {
        for (int i = 0; i < Asks; i++)
        {
            long start = Stopwatch.GetTimestamp();
            TCost.Pay();
            ValueTask<Answer> ask = runtime.AskAsync<Question, Answer>(sink, new Question(i));
            var spinner = default(SpinWait);
            while (!ask.IsCompleted)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            Answer answer = ask.GetAwaiter().GetResult();
            long end = Stopwatch.GetTimestamp();
            if (answer.Value != i + 1)
            {
                throw new InvalidOperationException("The sink answered the wrong question.");
            }

            histogram.Record(StopwatchTicks.ToNanoseconds(end - start));
        }
    }
}
