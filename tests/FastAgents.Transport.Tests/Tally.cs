using FastAgents.Runtime;

namespace FastAgents.Transport.Tests;

/// <summary>
/// Records the sequence number of every <see cref="Numbered"/> tell in its <see cref="TallyLog"/>, optionally
/// sleeping per message (a slow consumer); answers asks with the message itself, unrecorded.
/// </summary>
public sealed class Tally(TallyLog log, int sleepMs = 0) : Agent, IHandle<Numbered>
{
    public void Handle(in Numbered message, AgentContext context)
    {
        if (context.Kind == MessageKind.Ask)
        {
            context.Reply(in message);
            return;
        }

        if (sleepMs > 0)
        {
            Thread.Sleep(sleepMs);
        }

        log.Add(message.Sequence);
    }

    protected internal override void Configure(HandlerMap handlers) => handlers.Add<Numbered>(this);
}
