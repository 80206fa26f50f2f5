using System.Diagnostics.Metrics;
using FastAgents.Orchestration;
using FastAgents.Runtime;
using Microsoft.Extensions.AI;

namespace FastAgents.Samples;

/// <summary>
/// A parallel analysis: three analysts (performance, reliability, cost) get the same question at once through a
/// <see cref="ParallelPlan"/>, and an editor aggregates their answers into a recommendation. The cost analyst has a
/// tool: <c>calculate</c>, a <see cref="ToolAgent"/> over <see cref="Calculator.Evaluate"/>, which its model calls
/// through the runtime. Token usage is read from the meter "FastAgents.Orchestration".
/// </summary>
public static class ParallelAnalysisSample
{
    /// <summary>The question the sample works on.</summary>
    public const string Question = "Should the order service move from HTTP and JSON calls to FastAgents messaging?";

    private static readonly string[] s_aspects = ["performance", "reliability", "cost"];

    /// <summary>Runs the analysis of <paramref name="question"/> with <paramref name="client"/>, writing the results to <paramref name="output"/>.</summary>
    public static async Task<RunResult> RunAsync(IChatClient client, TextWriter output, string question = Question, CancellationToken cancellationToken = default)
    {
        var runtime = new AgentRuntime(new RuntimeOptions
        {
            Name = "parallel-analysis",
            Workers = 2,
            RunAskContinuationsAsynchronously = true,
            DefaultAskTimeout = TimeSpan.FromMinutes(2),
        });
        using var tokens = new TokenTally([.. s_aspects.Select(a => $"{a}-analyst"), "editor"]);
        try
        {
            AgentType type = AgentType.Register("sample-parallel-analysis");
            var branches = new List<PlanStep>();
            uint key = 0;
            AgentId calculator = runtime.Spawn(type, ++key, () => new ToolAgent("calculator", Calculator.Evaluate, "Evaluates arithmetic."));
            ChatTool[] costTools = [new ChatTool("calculate", "Evaluates an arithmetic expression such as 2 * (3 + 4.5); returns the number.", calculator)];
            foreach (string aspect in s_aspects)
            {
                bool cost = aspect == "cost";
                AgentId analyst = runtime.Spawn(type, ++key, () => new ChatAgent($"{aspect}-analyst", client, new ChatAgentOptions
                {
                    SystemPrompt = $"You are the {aspect} analyst. Answer the question from the {aspect} angle only, in one or two sentences."
                        + (cost ? " Use the calculate tool for any arithmetic." : ""),
                    MemoryLength = 0,
                    Tools = cost ? costTools : null,
                }));
                branches.Add(PlanStep.Ask(aspect, analyst));
            }

            AgentId editor = runtime.Spawn(type, ++key, () => new ChatAgent("editor", client, new ChatAgentOptions
            {
                SystemPrompt = "You are the editor. Merge the analyses you are given into one recommendation of a few sentences.",
                MemoryLength = 0,
            }));
            var plan = new ParallelPlan("analysis", branches, PlanStep.Ask("aggregate", editor, "Merge these analyses into one recommendation."));
            var orchestrator = new Orchestrator(runtime, new OrchestratorOptions { StepTimeout = TimeSpan.FromMinutes(2) });

            output.WriteLine($"question: {question}");
            RunResult result = await orchestrator.RunAsync(plan, question, "parallel-analysis", cancellationToken).ConfigureAwait(false);
            foreach (StepResult step in result.Steps)
            {
                output.WriteLine($"[{step.Name}] {step.Output ?? "failed: " + step.Error?.Message}");
            }

            output.WriteLine($"status {result.Status}; {result.Steps.Count} steps; tokens in {tokens.Input} out {tokens.Output}");
            return result;
        }
        finally
        {
            await runtime.ShutdownAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
    }

    /// <summary>Sums the token counters of the named agents while it lives.</summary>
    private sealed class TokenTally : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly HashSet<string> _agents;
        private long _input;
        private long _output;

        public TokenTally(string[] agents)
        {
            _agents = [.. agents];
            _listener.InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == "FastAgents.Orchestration" && instrument.Name.StartsWith("fastagents.llm.tokens.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>(OnMeasurement);
            _listener.Start();
        }

        public long Input => Interlocked.Read(ref _input);

        public long Output => Interlocked.Read(ref _output);

        public void Dispose() => _listener.Dispose();

        private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "agent" && tag.Value is string agent && _agents.Contains(agent))
                {
                    Interlocked.Add(ref instrument.Name.EndsWith(".input", StringComparison.Ordinal) ? ref _input : ref _output, value);
                }
            }
        }
    }
}
