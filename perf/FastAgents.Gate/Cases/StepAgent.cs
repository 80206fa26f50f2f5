using FastAgents.Orchestration;
using FastAgents.Runtime;

namespace FastAgents.Gate.Cases;

/// <summary>Answers every plan step at once with the same reply.</summary>
internal sealed class StepAgent : Agent, IHandle<StepRequest>
{
    private static readonly StepReply s_reply = StepReply.Success("ok");

    protected override void Configure(HandlerMap handlers) => handlers.Add<StepRequest>(this);

    public void Handle(in StepRequest message, AgentContext context) => context.Reply(s_reply);
}
