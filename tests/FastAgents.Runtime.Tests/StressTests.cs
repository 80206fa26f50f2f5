using System.Collections.Concurrent;
using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class StressTests
{
    private static readonly AgentType s_receiver = AgentType.Register("stress-receiver");
    private static readonly AgentType s_pump = AgentType.Register("stress-pump");

    [Fact]
    public async Task ManyAgentsManyMessages_FromOutsideAndFromAgentsOnBothWorkers_ExactlyOnceAndInOrder()
    {
        const int Receivers = 64;
        const int Pumps = 4;          // sources 0-3: agents, two per worker
        const int OutsideThreads = 4; // sources 4-7
        const int Sources = Pumps + OutsideThreads;
        const int PerSource = 25_000; // 200,000 in all
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var ledger = new Ledger(Sources, PerSource);
        var receivers = new AgentId[Receivers];
        for (int r = 0; r < Receivers; r++)
        {
            int key = r;
            receivers[r] = runtime.Spawn(s_receiver, (uint)r, () => new LedgerAgent(ledger, key, Sources, Receivers), new AgentOptions { Worker = r % 2 });
        }

        var pumps = new AgentId[Pumps];
        for (int p = 0; p < Pumps; p++)
        {
            int source = p;
            pumps[p] = runtime.Spawn(s_pump, (uint)p, () => new StressPumpAgent(receivers, source, PerSource), new AgentOptions { Worker = p % 2 });
        }

        foreach (AgentId pump in pumps)
        {
            runtime.Tell(pump, new Go(0));
        }

        var errors = new ConcurrentQueue<Exception>();
        Thread[] threads = [.. Enumerable.Range(Pumps, OutsideThreads).Select(source => new Thread(() =>
        {
            try
            {
                for (int n = 0; n < PerSource; n++)
                {
                    SendStatus status = runtime.Tell(receivers[n % Receivers], new Seq(source, n));
                    if (status != SendStatus.Sent)
                    {
                        throw new InvalidOperationException($"source {source} #{n}: {status}");
                    }
                }
            }
#pragma warning disable CA1031 // reported by the test thread
            catch (Exception ex)
#pragma warning restore CA1031
            {
                errors.Enqueue(ex);
            }
        }) { IsBackground = true, Name = $"stress-outside-{source}" })];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        Eventually.True(
            () => ledger.Total >= Sources * PerSource || !errors.IsEmpty || ledger.Violations > 0,
            $"{Sources * PerSource} messages (saw {ledger.Total})",
            TimeSpan.FromSeconds(60));
        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(Eventually.Deadline), "an outside sender did not finish");
        }

        Assert.Empty(errors);
        Assert.True(ledger.Violations == 0, ledger.FirstViolation);
        Assert.Equal(Sources * PerSource, ledger.Total);
        int missing = 0;
        int duplicated = 0;
        for (int i = 0; i < ledger.Counts.Length; i++)
        {
            missing += ledger.Counts[i] == 0 ? 1 : 0;
            duplicated += ledger.Counts[i] > 1 ? 1 : 0;
        }

        Assert.True(missing == 0 && duplicated == 0, $"{missing} messages missing, {duplicated} duplicated");
        Assert.Equal(0, runtime.DeadLetters.Count);
        Assert.Equal((long)Sources * PerSource, receivers.Sum(r => runtime.GetInfo(r)!.Handled));
    }

    internal sealed class Ledger(int sources, int perSource)
    {
        private int _total;
        private int _violations;

        public int[] Counts { get; } = new int[sources * perSource];

        public int Total => Volatile.Read(ref _total);

        public int Violations => Volatile.Read(ref _violations);

        public string FirstViolation { get; private set; } = "";

        public void Record(in Seq message, int expected, int receiver)
        {
            Interlocked.Increment(ref Counts[(message.Source * perSource) + message.N]);
            if (message.N != expected && Interlocked.Increment(ref _violations) == 1)
            {
                FirstViolation = $"receiver {receiver}, source {message.Source}: expected #{expected}, got #{message.N}";
            }

            Interlocked.Increment(ref _total);
        }
    }

    /// <summary>Receiver r gets numbers r, r + 64, r + 128, ... from each source, in that order.</summary>
    internal sealed class LedgerAgent(Ledger ledger, int key, int sources, int receivers) : Agent, IHandle<Seq>
    {
        private readonly int[] _next = [.. Enumerable.Repeat(key, sources)];

        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Seq>(this);

        public void Handle(in Seq message, AgentContext context)
        {
            ledger.Record(message, _next[message.Source], key);
            _next[message.Source] = message.N + receivers;
        }
    }

    /// <summary>
    /// Sends its sequence round-robin over the receivers, a chunk per call, never blocking its worker (TryTell;
    /// a full lane is retried on the next call); continues through a High-priority message to itself.
    /// </summary>
    internal sealed class StressPumpAgent(AgentId[] receivers, int source, int count) : Agent, IHandle<Go>
    {
        private const int Chunk = 32;
        private int _next;

        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Go>(this);

        public void Handle(in Go message, AgentContext context)
        {
            int end = Math.Min(count, _next + Chunk);
            while (_next < end && context.TryTell(receivers[_next % receivers.Length], new Seq(source, _next)) == SendStatus.Sent)
            {
                _next++;
            }

            if (_next < count)
            {
                context.Tell(context.Self, new Go(message.Round + 1), Priority.High);
            }
        }
    }
}
