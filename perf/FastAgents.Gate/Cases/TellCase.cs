using FastAgents.Gate.Comparison;
using FastAgents.Runtime;
using static FastAgents.Gate.Cases.AgentMessages;

namespace FastAgents.Gate.Cases;

/// <summary>
/// <c>runtime.tell</c>: messages per second from a source agent on worker 0 to a sink agent on worker 1 (8-byte struct
/// tells sent from the source's handler), against the same two agents built on Channels and reader tasks.
/// </summary>
internal sealed class TellCase : GateCase
{
    public const string Name = "runtime.tell";

    private const int Messages = 1_000_000;
    private static readonly AgentType s_type = AgentType.Register("gate.tell");

    public override string Title => Name;

    public override double SlowdownNanoseconds => 200;

    protected override IReadOnlyList<CaseMeasurement> Run<TCost>(int rounds)
    {
        using var runtime = new AgentRuntime(new RuntimeOptions { Workers = 2, Name = "gate" });
        var sink = new SinkAgent();
        AgentId sinkId = runtime.Spawn(s_type, 2, () => sink, new AgentOptions { Worker = 1 });
        AgentId source = runtime.Spawn(s_type, 1, () => new SourceAgent<TCost>(sinkId), new AgentOptions { Worker = 0 });
        using var peer = new ChannelAgents();
        for (int warm = 0; warm < 3; warm++)
        {
            Ours(runtime, source, sink);
            peer.Tell(Messages);
        }

        return [RateRounds(Name, rounds, Messages, () => Ours(runtime, source, sink), () => peer.Tell(Messages), wholeProcess: true)];
    }

    private static void Ours(AgentRuntime runtime, AgentId source, SinkAgent sink)
    {
        sink.Expect(Messages);
        runtime.Tell(source, new Go(Messages));
        sink.Done.Wait();
    }
}
