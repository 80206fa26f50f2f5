using System.Diagnostics.Metrics;

namespace FastAgents.Orchestration;

/// <summary>
/// The instruments of the meter "FastAgents.Orchestration": tokens used by chat agents (tag <c>agent</c>, the agent's
/// name) and group-chat turns. Recording costs nothing measurable while no listener is on an instrument.
/// </summary>
internal static class OrchestrationMetrics
{
    public const string MeterName = "FastAgents.Orchestration";

    private static readonly Meter s_meter = new(MeterName);

    private static readonly Counter<long> s_inputTokens =
        s_meter.CreateCounter<long>("fastagents.llm.tokens.input", "{token}", "Input (prompt) tokens reported by chat clients.");

    private static readonly Counter<long> s_outputTokens =
        s_meter.CreateCounter<long>("fastagents.llm.tokens.output", "{token}", "Output (completion) tokens reported by chat clients.");

    private static readonly Counter<long> s_chatTurns =
        s_meter.CreateCounter<long>("fastagents.groupchat.turns", "{turn}", "Group-chat turns taken.");

    public static void RecordTokens(string agent, long input, long output)
    {
        var tag = new KeyValuePair<string, object?>("agent", agent);
        if (input > 0)
        {
            s_inputTokens.Add(input, tag);
        }

        if (output > 0)
        {
            s_outputTokens.Add(output, tag);
        }
    }

    public static void RecordTurn(string chat) => s_chatTurns.Add(1, new KeyValuePair<string, object?>("chat", chat));
}
