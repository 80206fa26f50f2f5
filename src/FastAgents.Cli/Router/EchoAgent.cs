using FastAgents.Runtime;

namespace FastAgents.Cli.Router;

/// <summary>Answers each <see cref="EchoMessage"/> ask with the message itself; tells are only counted.</summary>
internal sealed class EchoAgent : Agent, IHandle<EchoMessage>
{
    public void Handle(in EchoMessage message, AgentContext context)
    {
        if (context.Kind == MessageKind.Ask)
        {
            context.Reply(in message);
        }
    }

    protected override void Configure(HandlerMap handlers) => handlers.Add<EchoMessage>(this);
}
