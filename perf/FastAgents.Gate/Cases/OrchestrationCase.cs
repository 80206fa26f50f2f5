using System.Diagnostics;
using FastAgents.Gate.Comparison;
using FastAgents.Orchestration;
using FastAgents.Perf;
using FastAgents.Perf.Load;
using FastAgents.Runtime;

namespace FastAgents.Gate.Cases;

/// <summary>
/// <c>orchestration.sequential</c>: runs of a 3-step <see cref="SequentialPlan"/> over agents that answer at once, made
/// one after another, against the same three asks (same messages, same agents) made directly
/// with <c>AskAsync</c>. The figure is the median run; the ratio is the direct asks' over ours, so it is below 1 and
/// what it guards is the orchestration's share. Bytes per operation are per run: the step messages and the run's
/// records; the runtime routing them adds nothing (perf/FastAgents.OrchestrationBench measures that difference).
/// The agents share worker 1 (with the agents on both workers and the gate's thread spinning, three spinning threads
/// took turns on two cores and a run took 110 us on both sides).
/// </summary>
internal sealed class OrchestrationCase : GateCase
{
    public const string Name = "orchestration.sequential";

    private const int Runs = 10_000;
    private const int Steps = 3;
    private static readonly AgentType s_type = AgentType.Register("gate.orchestration");

    public override string Title => Name;

    public override double SlowdownNanoseconds => 10_000;

    protected override IReadOnlyList<CaseMeasurement> Run<TCost>(int rounds)
    {
        using var runtime = new AgentRuntime(new RuntimeOptions { Workers = 2, Name = "gate" });
        var agents = new AgentId[Steps];
        var steps = new PlanStep[Steps];
        for (int i = 0; i < Steps; i++)
        {
            agents[i] = runtime.Spawn(s_type, (uint)(i + 1), static () => new StepAgent(), new AgentOptions { Worker = 1 });
            steps[i] = PlanStep.Ask("step" + (char)('0' + i), agents[i]);
        }

        var plan = new SequentialPlan("gate", steps);
        var orchestrator = new Orchestrator(runtime);
        var ours = new LogLinearHistogram();
        var theirs = new LogLinearHistogram();
        for (int warm = 0; warm < 3; warm++)
        {
            Ours<TCost>(orchestrator, plan, ours);
            Direct(runtime, agents, theirs);
        }

        var oursMedians = new List<double>(rounds);
        var peerMedians = new List<double>(rounds);
        long oursBytes = long.MaxValue;
        long peerBytes = long.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            ours.Reset();
            theirs.Reset();
            LatencyRound(r, () => Ours<TCost>(orchestrator, plan, ours), () => Direct(runtime, agents, theirs), ref oursBytes, ref peerBytes);

            oursMedians.Add(ours.ValueAtPercentile(50));
            peerMedians.Add(theirs.ValueAtPercentile(50));
            TraceRound(Name, r, oursMedians[^1], peerMedians[^1], peerMedians[^1] / Math.Max(1, oursMedians[^1]));
        }

        return [LatencyMeasurement(Name, oursMedians, peerMedians, PerOp(oursBytes, Runs), PerOp(peerBytes, Runs))];
    }

    private static void Ours<TCost>(Orchestrator orchestrator, SequentialPlan plan, LogLinearHistogram histogram)
        where TCost : struct, IOpCost =>
        Wait(OursLoop<TCost>(orchestrator, plan, histogram));

    private static void Direct(AgentRuntime runtime, AgentId[] agents, LogLinearHistogram histogram) =>
        Wait(DirectLoop(runtime, agents, histogram));

    // The loops await, so after the first reply they continue on the agents' worker: every run starts and ends on that
    // one thread, and the pooled state machines of the run come back to the thread that takes them. Started and
    // finished on different threads (the gate's thread waiting on each run), the pool's per-core slots missed now
    // and then and bytes per run varied between processes (1,412 to 1,680), which an exact check cannot take.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> OursLoop<TCost>(Orchestrator orchestrator, SequentialPlan plan, LogLinearHistogram histogram)
        where TCost : struct, IOpCost
    {
        for (int i = 0; i < Runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            TCost.Pay();
            RunResult result = await orchestrator.RunAsync(plan, "input", "gate");
            long end = Stopwatch.GetTimestamp();
            if (result.Status != RunStatus.Succeeded || !string.Equals(result.Output, "ok", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"A gate run did not succeed: {result.Status} {result.Error?.Message}");
            }

            histogram.Record(StopwatchTicks.ToNanoseconds(end - start));
        }

        return Runs;
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> DirectLoop(AgentRuntime runtime, AgentId[] agents, LogLinearHistogram histogram)
    {
        for (int i = 0; i < Runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            string? current = "input";
            for (int s = 0; s < agents.Length; s++)
            {
                var request = new StepRequest { RunId = "gate", Step = "step", Attempt = 1, Input = current };
                StepReply reply = await runtime.AskAsync<StepRequest, StepReply>(agents[s], request);
                current = reply.Output;
            }

            long end = Stopwatch.GetTimestamp();
            if (!string.Equals(current, "ok", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("A direct ask did not get the agent's reply.");
            }

            histogram.Record(StopwatchTicks.ToNanoseconds(end - start));
        }

        return Runs;
    }

    /// <summary>
    /// Blocks until a loop ends. The runs are timed inside the loop, on the worker, so the gate's thread has nothing to
    /// gain by spinning; blocked, it leaves the second core to the runtime and the collector. The one task this makes
    /// per phase rounds to nothing per run.
    /// </summary>
    private static void Wait(ValueTask<int> loop) => loop.AsTask().GetAwaiter().GetResult();
}
