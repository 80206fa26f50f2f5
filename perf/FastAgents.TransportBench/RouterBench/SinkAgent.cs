using System.Diagnostics;
using FastAgents.Perf;
using FastAgents.Runtime;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>
/// The receiver's agent: counts payloads, checks that sequence numbers arrive in order (each gap or step back is one
/// error) and, in latency mode, records the time from each payload's intended send time to its handling.
/// </summary>
internal sealed class SinkAgent : Agent, IHandle<BenchPayload>
{
    public static readonly AgentType Type = AgentType.Register("bench/sink");

    private long _count;
    private long _expected;

    public SinkAgent(LogLinearHistogram? latency) => Latency = latency;

    public LogLinearHistogram? Latency { get; }

    public long Count => Volatile.Read(ref _count);

    public long Errors;

    /// <summary>Latency is recorded for payloads intended from this timestamp (the measured window's opening) on.</summary>
    public long RecordFrom = long.MaxValue;

    /// <summary>... and before this one (the window's close).</summary>
    public long RecordUntil = long.MaxValue;

    public void Handle(in BenchPayload message, AgentContext context)
    {
        if (context.Kind == MessageKind.Ask)
        {
            context.Reply(in message); // the sender's readiness probe
            return;
        }

        if (message.Sequence != _expected)
        {
            Errors++;
        }

        _expected = message.Sequence + 1;
        if (message.IntendedTicks >= Volatile.Read(ref RecordFrom) && message.IntendedTicks < Volatile.Read(ref RecordUntil))
        {
            Latency?.Record(Stopwatch.GetTimestamp() - message.IntendedTicks);
        }
        Volatile.Write(ref _count, _count + 1);
    }

    protected override void Configure(HandlerMap handlers) => handlers.Add<BenchPayload>(this);
}
