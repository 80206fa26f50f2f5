using FastAgents.Runtime;
using static FastAgents.Gate.Cases.AgentMessages;

namespace FastAgents.Gate.Cases;

/// <summary>Counts ticks and signals when the expected number arrived; answers questions.</summary>
internal sealed class SinkAgent : Agent, IHandle<Tick>, IHandle<Question>
{
    private long _expected;
    private long _seen;

    public ManualResetEventSlim Done { get; } = new();

    /// <summary>Arms the sink for <paramref name="count"/> ticks (before they are sent).</summary>
    public void Expect(long count)
    {
        Done.Reset();
        _seen = 0;
        Volatile.Write(ref _expected, count);
    }

    protected override void Configure(HandlerMap handlers) => handlers.Add<Tick>(this).Add<Question>(this);

    public void Handle(in Tick message, AgentContext context)
    {
        if (++_seen == Volatile.Read(ref _expected))
        {
            Done.Set();
        }
    }

    public void Handle(in Question message, AgentContext context) => context.Reply(new Answer(message.Value + 1));
}
