using FastAgents.Runtime;

namespace FastAgents.Cli.Load;

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
