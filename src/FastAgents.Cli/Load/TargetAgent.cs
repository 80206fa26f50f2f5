using FastAgents.Runtime;

namespace FastAgents.Cli.Load;

/// <summary>
/// A target of <c>fastagents load</c>: answers an ask with the request's tag, and acknowledges a tell by completing
/// the pooled completion source its tag names (so the load engine sees the tell complete when it was handled).
/// </summary>
/// <typeparam name="TMessage">The load message type of the run.</typeparam>
internal sealed class TargetAgent<TMessage>(AckPool acks) : Agent, IHandle<TMessage>
    where TMessage : ILoadMessage<TMessage>
{
    protected override void Configure(HandlerMap handlers) => handlers.Add<TMessage>(this);

    public void Handle(in TMessage message, AgentContext context)
    {
        long tag = TMessage.TagOf(in message);
        if (context.Kind == MessageKind.Ask)
        {
            context.Reply(new LoadAck(tag));
        }
        else
        {
            acks.Complete(tag);
        }
    }
}
