using FastAgents.Runtime;

namespace FastAgents.Cli.Load;

/// <summary>
/// A target agent of a router run: answers an ask with the message's tag; for a tell, tells the sending runtime's
/// <see cref="AckAgent"/> (found from the tag's connection bits) that it was handled.
/// </summary>
/// <typeparam name="TMessage">The load message type of the run.</typeparam>
internal sealed class RemoteTargetAgent<TMessage> : Agent, IHandle<TMessage>
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
            context.Tell(AckAgent.For((int)(tag >> RuntimeTarget<TMessage>.ConnectionShift)), new LoadAck(tag));
        }
    }
}

/// <summary>In each sending runtime of a router run: completes the tell that an acknowledgement names.</summary>
internal sealed class AckAgent(AckPool acks) : Agent, IHandle<LoadAck>
{
    /// <summary>The acknowledgement agents' type; the key is the sending connection's index.</summary>
    public static readonly AgentType Type = AgentType.Register("load.ack");

    /// <summary>The acknowledgement agent of connection <paramref name="connection"/>.</summary>
    public static AgentId For(int connection) => new(Type, (uint)connection);

    protected override void Configure(HandlerMap handlers) => handlers.Add<LoadAck>(this);

    public void Handle(in LoadAck message, AgentContext context) => acks.Complete(message.Tag);
}
