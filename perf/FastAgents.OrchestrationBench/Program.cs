using System.Diagnostics;
using System.Globalization;
using FastAgents.Orchestration;
using FastAgents.Perf;
using FastAgents.Runtime;

namespace FastAgents.OrchestrationBench;

/// <summary>
/// The overhead of orchestration: a 3-step sequential plan over agents that answer at once, against its peer, the
/// same three asks (same messages, same agents) made directly with <see cref="AgentRuntime.AskAsync{TRequest, TReply}"/>.
/// Rounds alternate between the two so both see the same machine. Prints p50/p99/p99.9 per step for each, the
/// difference at p99 (the orchestration's share), and bytes allocated per step, then one <c>result ...</c> line.
/// </summary>
public static class Program
{
    private const int Steps = 3;

    public static async Task<int> Main(string[] args)
    {
        bool quick = args.Contains("--quick");
        int rounds = quick ? 4 : 20;
        int runsPerRound = quick ? 5_000 : 20_000;

        await using var runtime = new AgentRuntime(new RuntimeOptions { Workers = 2 });
        AgentType type = AgentType.Register("orchestration-bench");
        AgentId[] agents = [.. Enumerable.Range(1, Steps).Select(k => runtime.Spawn(type, (uint)k, () => new ImmediateAgent()))];
        var plan = new SequentialPlan("bench", agents.Select((a, i) => PlanStep.Ask("step" + i.ToString(CultureInfo.InvariantCulture), a)));
        var orchestrator = new Orchestrator(runtime);

        var planned = new LogLinearHistogram();
        var direct = new LogLinearHistogram();
        long plannedBytes = 0;
        long directBytes = 0;
        long plannedRuns = 0;
        long directRuns = 0;
        var messages = new MessageCopies();
        long plannedLeast = long.MaxValue;
        long directLeast = long.MaxValue;
        long messagesLeast = long.MaxValue;

        // Warm-up: tiering and pools settle before anything is recorded.
        await Planned(orchestrator, plan, null, runsPerRound);
        await Direct(runtime, agents, null, runsPerRound);
        messages.Run(runsPerRound);

        for (int round = 0; round < rounds; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            await Planned(orchestrator, plan, planned, runsPerRound);
            long bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
            plannedBytes += bytes;
            plannedLeast = Math.Min(plannedLeast, bytes);
            plannedRuns += runsPerRound;

            before = GC.GetTotalAllocatedBytes(precise: true);
            await Direct(runtime, agents, direct, runsPerRound);
            bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
            directBytes += bytes;
            directLeast = Math.Min(directLeast, bytes);
            directRuns += runsPerRound;

            before = GC.GetTotalAllocatedBytes(precise: true);
            messages.Run(runsPerRound);
            messagesLeast = Math.Min(messagesLeast, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        double p99Planned = Micros(planned.ValueAtPercentile(99));
        double p99Direct = Micros(direct.ValueAtPercentile(99));
        Console.WriteLine(FormattableString.Invariant($"per step (ns -> us)    p50       p99       p99.9     bytes/step"));
        Print("orchestrated", planned, plannedBytes / (double)(plannedRuns * Steps));
        Print("direct asks", direct, directBytes / (double)(directRuns * Steps));
        Console.WriteLine(FormattableString.Invariant($"orchestration overhead at p99: {p99Planned - p99Direct:0.00} us per step (target: under 20 us for the whole step)"));

        // Bytes in the steady state: the round that allocated least (a pool reaching a new peak shows in one round only;
        // a per-message allocation shows in every round).
        long stepsPerRound = (long)runsPerRound * Steps;
        double plannedStep = plannedLeast / (double)stepsPerRound;
        double directStep = directLeast / (double)stepsPerRound;
        double messageStep = messagesLeast / (double)stepsPerRound;
        double runtimeStep = directStep - messageStep;
        Console.WriteLine(FormattableString.Invariant(
            $"bytes per step, steady state: orchestrated {plannedStep:0.##}, direct asks {directStep:0.##}, the step messages alone {messageStep:0.##} (created, serialized and materialized as the runtime does, no runtime)"));
        Console.WriteLine(FormattableString.Invariant(
            $"  the runtime underneath (direct asks - messages alone): {runtimeStep:0.##} B per routed message (target: 0)"));
        Console.WriteLine(FormattableString.Invariant(
            $"  the orchestration's own records (orchestrated - direct asks): {plannedStep - directStep:0.##} B per step"));
        Console.WriteLine(FormattableString.Invariant(
            $"result orchestration p99_step_us={p99Planned:0.00} direct_p99_step_us={p99Direct:0.00} bytes_per_step={plannedStep:0.##} direct_bytes_per_step={directStep:0.##} message_bytes_per_step={messageStep:0.##} runtime_bytes_per_message={runtimeStep:0.##}"));
        // Least rounds of 15,000 steps and more: anything at or above 0.005 B per step is a per-message allocation.
        return Math.Abs(runtimeStep) < 0.005 ? 0 : 1;
    }

    // Pooled, so the loop's own state machine is not counted once per round against the steps.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask Planned(Orchestrator orchestrator, SequentialPlan plan, LogLinearHistogram? histogram, int runs)
    {
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            RunResult result = await orchestrator.RunAsync(plan, "input", "bench");
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (result.Status != RunStatus.Succeeded)
            {
                throw new InvalidOperationException($"A benchmark run did not succeed: {result.Error}");
            }

            histogram?.Record(Nanos(elapsed) / Steps);
        }
    }

    // Pooled, so the loop's own state machine is not counted once per round against the steps.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask Direct(AgentRuntime runtime, AgentId[] agents, LogLinearHistogram? histogram, int runs)
    {
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            string? current = "input";
            for (int s = 0; s < agents.Length; s++)
            {
                StepRequest request = MessageCopies.Request(current);
                StepReply reply = await runtime.AskAsync<StepRequest, StepReply>(agents[s], request, TimeSpan.FromSeconds(30));
                current = reply.Output;
            }

            histogram?.Record(Nanos(Stopwatch.GetTimestamp() - start) / Steps);
        }
    }

    private static long Nanos(long ticks) => (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));

    private static double Micros(long nanos) => nanos / 1000.0;

    private static void Print(string name, LogLinearHistogram histogram, double bytesPerStep) =>
        Console.WriteLine(FormattableString.Invariant(
            $"{name,-22} {Micros(histogram.ValueAtPercentile(50)),8:0.00}  {Micros(histogram.ValueAtPercentile(99)),8:0.00}  {Micros(histogram.ValueAtPercentile(99.9)),8:0.00}  {bytesPerStep,10:0}"));
}
