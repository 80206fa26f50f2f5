using FastAgents.Runtime;

namespace FastAgents.Cli.Load;

/// <summary>
/// A target of <c>fastagents load</c>: answers an ask with the request's tag, and acknowledges a tell so that the load
/// engine sees it complete when it was handled. In process it completes the pooled completion source the tag names;
/// through a router (no pool here) it tells the sending runtime's <see cref="AckAgent"/>, found from the tag's
/// connection bits, which completes it there.
/// </summary>
/// <typeparam name="TMessage">The load message type of the run.</typeparam>
/// <param name="acks">The pool of the sends, when the sender is in this process; null for a target behind a router.</param>
internal sealed class TargetAgent<TMessage>(AckPool? acks) : Agent, IHandle<TMessage>
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
        else if (acks is not null)
        {
            acks.Complete(tag);
        }
        else
        {
            context.Tell(AckAgent.For((int)(tag >> RuntimeTarget<TMessage>.ConnectionShift)), new LoadAck(tag));
        }
    }
}
