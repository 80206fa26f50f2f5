using FastAgents.Orchestration;
using FastAgents.Runtime;

namespace FastAgents.OrchestrationBench;

/// <summary>Answers every step at once with a constant, so a run measures the orchestration and the asks alone.</summary>
internal sealed class ImmediateAgent : Agent, IHandle<StepRequest>
{
    private static readonly StepReply s_reply = StepReply.Success("ok");

    protected override void Configure(HandlerMap handlers) => handlers.Add<StepRequest>(this);

    public void Handle(in StepRequest message, AgentContext context) => context.Reply(s_reply);
}
