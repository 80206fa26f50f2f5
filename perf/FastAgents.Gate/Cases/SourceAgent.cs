using FastAgents.Runtime;
using static FastAgents.Gate.Cases.AgentMessages;

namespace FastAgents.Gate.Cases;

/// <summary>On <see cref="Go"/>, tells the sink that many ticks from inside its handler (our measured loop).</summary>
/// <typeparam name="TCost">The per-operation cost of the run (nothing, or the deliberate slowdown).</typeparam>
internal sealed class SourceAgent<TCost>(AgentId sink) : Agent, IHandle<Go>
    where TCost : struct, IOpCost
{
    protected override void Configure(HandlerMap handlers) => handlers.Add<Go>(this);

    public void Handle(in Go message, AgentContext context)
    {
        for (int i = 0; i < message.Count; i++)
        {
            context.Tell(sink, new Tick(i));
            TCost.Pay();
        }
    }
}
