using System.Diagnostics;
using System.Globalization;
using FastAgents.Perf;
using FastAgents.Runtime;

namespace FastAgents.Cli.Demo;

/// <summary>What the demo runs.</summary>
/// <param name="Duration">Measured time.</param>
/// <param name="Warmup">Warm-up time, not measured.</param>
/// <param name="PoolSize">Agents in the pool.</param>
/// <param name="Batch">Items per batch.</param>
/// <param name="Workers">Worker threads.</param>
/// <param name="Pin">Pin workers to cores.</param>
internal sealed record DemoSettings(TimeSpan Duration, TimeSpan Warmup, int PoolSize, int Batch, int Workers, bool Pin)
{
    public string? Validate() =>
        Duration <= TimeSpan.Zero ? "--duration must be above 0."
        : Warmup < TimeSpan.Zero ? "--warmup cannot be negative."
        : PoolSize < 1 ? "--pool must be at least 1."
        : Batch is < 1 or > 100_000 ? "--batch must be between 1 and 100000."
        : Workers < 1 ? "--workers must be at least 1."
        : null;
}

/// <summary>
/// A source agent sends each batch of items to a pool behind the least-busy balancer; each pool member works on
/// its item and tells the aggregator, which records the item's latency from the moment the source sent it. The
/// driver, outside the agents, starts a batch and asks the aggregator for its count once per batch, keeping a
/// bounded number of items in flight.
/// </summary>
internal static class DemoPipeline
{
    private static readonly AgentType s_type = AgentType.Register("demo");
    private static readonly Capability s_pool = new("demo.pool");

    public static async Task<int> RunAsync(DemoSettings settings, TextWriter output)
    {
        await using var runtime = new AgentRuntime(new RuntimeOptions { Workers = settings.Workers, PinWorkers = settings.Pin, Name = "demo" });
        var aggregator = new Aggregator();
        AgentId aggregatorId = runtime.Spawn(s_type, 0, () => aggregator);
        runtime.SpawnPool(AgentType.Register("demo.worker"), settings.PoolSize, () => new PoolMember(aggregatorId), s_pool);
        AgentId source = runtime.Spawn(s_type, 1, static () => new Source());

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fastagents demo: {settings.Workers} workers, a pool of {settings.PoolSize}, batches of {settings.Batch}, {settings.Duration.TotalSeconds:0.#} s measured after {settings.Warmup.TotalSeconds:0.#} s of warm-up"));
        output.WriteLine("pipeline: source -> least-busy pool member -> aggregator; one ask to the aggregator per batch,");
        output.WriteLine("answered when no more than two batches are still on their way (the driver's flow control)");

        var driver = new Driver(runtime, source, aggregatorId, settings.Batch);
        await driver.RunAsync(settings.Warmup, askLatency: null).ConfigureAwait(false);
        await runtime.AskAsync<Reset, Count>(aggregatorId, default).ConfigureAwait(false); // after every warm-up item

        var askLatency = new LogLinearHistogram();
        long handledBefore = runtime.MessagesHandled;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long started = Stopwatch.GetTimestamp();
        long items = await driver.RunAsync(settings.Duration, askLatency).ConfigureAwait(false);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long messages = runtime.MessagesHandled - handledBefore;

        LogLinearHistogram latency = aggregator.Latency; // complete: the last ask was answered after the last item arrived
        double itemsPerSecond = items / elapsed.TotalSeconds;
        double messagesPerSecond = messages / elapsed.TotalSeconds;
        double allocatedPerMessage = allocated / (double)Math.Max(1, messages);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"items",-14}{items,14:N0}{itemsPerSecond,16:N0} /s   end to end through the pool"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"messages",-14}{messages,14:N0}{messagesPerSecond,16:N0} /s   envelopes handled by agents (two tells per item, plus the batch tells and asks)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"dead letters",-14}{runtime.DeadLetters.Count,14:N0}"));
        output.WriteLine();
        output.WriteLine($"{"latency (us)",-26}{"p50",10}{"p90",10}{"p99",10}{"p99.9",10}{"p99.99",10}{"max",10}");
        WriteRow(output, "item: source -> aggregator", latency);
        WriteRow(output, "ask (flow control)", askLatency);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated: {allocated:N0} bytes in the measured run, {allocatedPerMessage:0.###} bytes per message"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary messages_per_s={messagesPerSecond:F0} p50_us={Us(latency.ValueAtPercentile(50))} p99_us={Us(latency.ValueAtPercentile(99))} p999_us={Us(latency.ValueAtPercentile(99.9))} alloc_bytes_per_msg={allocatedPerMessage:0.###}"));
        return 0;
    }

    private static void WriteRow(TextWriter output, string name, LogLinearHistogram h) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-26}{Us(h.ValueAtPercentile(50)),10}{Us(h.ValueAtPercentile(90)),10}{Us(h.ValueAtPercentile(99)),10}{Us(h.ValueAtPercentile(99.9)),10}{Us(h.ValueAtPercentile(99.99)),10}{Us(h.Max),10}"));

    private static string Us(long nanoseconds) => (nanoseconds / 1000.0).ToString("0.##", CultureInfo.InvariantCulture);

    private sealed class Driver(AgentRuntime runtime, AgentId source, AgentId aggregator, int batch)
    {
        private const int MaxBatchesInFlight = 2;
        private long _sent;

        /// <summary>Sends batches for <paramref name="duration"/>, then waits until every item has arrived.</summary>
        /// <returns>Items sent (and received) in this run.</returns>
        public async Task<long> RunAsync(TimeSpan duration, LogLinearHistogram? askLatency)
        {
            long first = _sent;
            long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < end)
            {
                runtime.Tell(source, new Produce(batch));
                _sent += batch;

                // One ask per batch, answered once no more than MaxBatchesInFlight batches are still on their way:
                // the pipeline's flow control. (Awaited here, not in a helper: an async helper would allocate a box
                // each time it completed asynchronously.)
                long start = Stopwatch.GetTimestamp();
                await runtime.AskAsync<WaitFor, Count>(aggregator, new WaitFor(_sent - ((long)MaxBatchesInFlight * batch))).ConfigureAwait(false);
                askLatency?.Record(Stopwatch.GetElapsedTime(start).Ticks * 100);
            }

            await runtime.AskAsync<WaitFor, Count>(aggregator, new WaitFor(_sent)).ConfigureAwait(false);
            return _sent - first;
        }
    }

    private readonly record struct Produce(int Count);

    private readonly record struct Work(long Sequence, long SentTicks);

    private readonly record struct Result(long Sequence, long SentTicks, long Value);

    private readonly record struct WaitFor(long Count);

    private readonly record struct Reset(int Unused);

    private readonly record struct Count(long Value);

    private sealed class Source : Agent, IHandle<Produce>
    {
        private long _next;

        protected override void Configure(HandlerMap handlers) => handlers.Add<Produce>(this);

        public void Handle(in Produce message, AgentContext context)
        {
            for (int i = 0; i < message.Count; i++)
            {
                context.TellAny(s_pool, new Work(_next++, Stopwatch.GetTimestamp()));
            }
        }
    }

    private sealed class PoolMember(AgentId aggregator) : Agent, IHandle<Work>
    {
        protected override void Configure(HandlerMap handlers) => handlers.Add<Work>(this);

        public void Handle(in Work message, AgentContext context)
        {
            // A little work per item: a 64-bit mix of the sequence number.
            ulong x = (ulong)message.Sequence * 0x9E3779B97F4A7C15UL;
            x ^= x >> 29;
            context.Tell(aggregator, new Result(message.Sequence, message.SentTicks, (long)x));
        }
    }

    private sealed class Aggregator : Agent, IHandle<Result>, IHandle<WaitFor>, IHandle<Reset>
    {
        private long _count;
        private long _checksum;
        private PendingReply _waiter;
        private long _waitingFor = -1;

        public LogLinearHistogram Latency { get; private set; } = new();

        protected override void Configure(HandlerMap handlers) => handlers.Add<Result>(this).Add<WaitFor>(this).Add<Reset>(this);

        public void Handle(in Result message, AgentContext context)
        {
            _count++;
            _checksum ^= message.Value;
            Latency.Record(Stopwatch.GetElapsedTime(message.SentTicks).Ticks * 100);
            if (_waitingFor >= 0 && _count >= _waitingFor)
            {
                _waitingFor = -1;
                context.ReplyTo(_waiter, new Count(_count));
            }
        }

        /// <summary>Answers once <see cref="WaitFor.Count"/> items have arrived (at once if they have).</summary>
        public void Handle(in WaitFor message, AgentContext context)
        {
            if (_count >= message.Count)
            {
                context.Reply(new Count(_count));
                return;
            }

            _waiter = context.DeferReply();
            _waitingFor = message.Count;
        }

        public void Handle(in Reset message, AgentContext context)
        {
            Latency.Reset();
            context.Reply(new Count(_count));
        }
    }
}
