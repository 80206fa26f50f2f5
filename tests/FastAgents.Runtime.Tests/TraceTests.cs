using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class TraceTests
{
    private static readonly AgentType s_traced = AgentType.Register("trace-agent");

    [Fact]
    public async Task Tell_InsideAnActivity_HandlerSeesTheSameTraceAndPassesItOn()
    {
        using ActivityListener listener = ListenToFastAgents();
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var seen = new ConcurrentQueue<TraceObservation>();
        AgentId last = runtime.Spawn(s_traced, 1, () => new TraceAgent(seen, null), new AgentOptions { Worker = 1 });
        AgentId first = runtime.Spawn(s_traced, 0, () => new TraceAgent(seen, last), new AgentOptions { Worker = 0 });

        Activity.Current = null;
        using (var activity = new Activity("trace-test-send").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            Assert.Equal(SendStatus.Sent, runtime.Tell(first, new Num(1)));
            Eventually.True(() => seen.Count == 2, "both hops");
            TraceObservation[] hops = [.. seen];

            TraceObservation hop1 = hops.Single(h => h.Self == first);
            Assert.Equal(activity.TraceId, hop1.Context.TraceId);
            Assert.Equal(activity.SpanId, hop1.Context.SpanId);
            Assert.True(hop1.Context.IsRemote);
            Assert.Equal(activity.TraceId, hop1.CurrentTraceId);
            Assert.Equal(activity.SpanId, hop1.CurrentParentSpanId);

            TraceObservation hop2 = hops.Single(h => h.Self == last);
            Assert.Equal(activity.TraceId, hop2.Context.TraceId);
            Assert.Equal(activity.TraceId, hop2.CurrentTraceId);
        }

        seen.Clear();
        Assert.Null(Activity.Current);
        Assert.Equal(SendStatus.Sent, runtime.Tell(first, new Num(2)));
        Eventually.True(() => seen.Count == 2, "both hops without an activity");
        Assert.All(seen, h => Assert.Equal(default, h.Context));
    }

    [Fact]
    public async Task Tell_PropagationOff_CarriesNoTrace()
    {
        using ActivityListener listener = ListenToFastAgents();
        await using var runtime = new AgentRuntime(TestOptions.Default() with { PropagateTraceContext = false });
        var seen = new ConcurrentQueue<TraceObservation>();
        AgentId id = runtime.Spawn(s_traced, 2, () => new TraceAgent(seen, null));

        using (new Activity("trace-test-off").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            runtime.Tell(id, new Num(1));
            Eventually.True(() => seen.Count == 1, "the message");
        }

        Assert.Equal(default, Assert.Single(seen).Context);
    }

    private static ActivityListener ListenToFastAgents()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "FastAgents",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    internal readonly record struct TraceObservation(AgentId Self, ActivityContext Context, ActivityTraceId? CurrentTraceId, ActivitySpanId? CurrentParentSpanId);

    internal sealed class TraceAgent(ConcurrentQueue<TraceObservation> seen, AgentId? next) : Agent, IHandle<Num>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Num>(this);

        public void Handle(in Num message, AgentContext context)
        {
            if (next is { } target)
            {
                context.Tell(target, message);
            }

            seen.Enqueue(new TraceObservation(context.Self, context.TraceContext, Activity.Current?.TraceId, Activity.Current?.ParentSpanId));
        }
    }
}
