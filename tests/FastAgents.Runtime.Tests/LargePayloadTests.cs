using System.Collections.Concurrent;
using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class LargePayloadTests
{
    private static readonly AgentType s_receiver = AgentType.Register("large-receiver");
    private static readonly AgentType s_relay = AgentType.Register("large-relay");

    [Fact]
    public async Task Tell_100KBString_GoesThroughAnOverflowBufferAndArrivesIntact()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId receiver = runtime.Spawn(s_receiver, 0, () => new RecorderAgent(probe), new AgentOptions { Worker = 1 });
        var errors = new ConcurrentQueue<Exception>();
        AgentId relay = runtime.Spawn(s_relay, 0, () => new RelayAgent(receiver, errors), new AgentOptions { Worker = 0 });
        string big = MakeText(100 * 1024, seed: 1);
        string other = MakeText(100 * 1024, seed: 2);

        // From outside, straight to the receiver; and from outside to a relay that forwards it agent-to-agent.
        Assert.Equal(SendStatus.Sent, runtime.Tell(receiver, new Note { Id = 1, Text = big }));
        Assert.Equal(SendStatus.Sent, runtime.Tell(relay, new Note { Id = 2, Text = other }));
        for (int i = 0; i < 20; i++)
        {
            runtime.Tell(receiver, new Note { Id = 100 + i, Text = MakeText(3000 + (i * 997), seed: i) });
        }

        probe.WaitForCount(22, "the large notes");
        Assert.Empty(errors);
        Dictionary<int, string?> notes = probe.Notes.ToDictionary(n => n.Id, n => n.Text);
        Assert.Equal(big, notes[1]);
        Assert.Equal(other, notes[2]);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(MakeText(3000 + (i * 997), seed: i), notes[100 + i]);
        }

        Assert.Equal(0, runtime.DeadLetters.Count);
    }

    [Fact]
    public async Task Tell_PayloadOverMaxPayload_ThrowsAndTheLaneKeepsFlowing()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default() with { MaxPayload = 4096 });
        using var probe = new Probe();
        AgentId receiver = runtime.Spawn(s_receiver, 1, () => new RecorderAgent(probe), new AgentOptions { Worker = 1 });
        var errors = new ConcurrentQueue<Exception>();
        AgentId relay = runtime.Spawn(s_relay, 1, () => new RelayAgent(receiver, errors), new AgentOptions { Worker = 0 });
        string tooBig = MakeText(10_000, seed: 3);

        // From outside: the send throws, nothing is delivered, and the next message on the same lane arrives.
        Assert.ThrowsAny<InvalidOperationException>(() => runtime.Tell(receiver, new Note { Id = 1, Text = tooBig }));
        Assert.Equal(SendStatus.Sent, runtime.Tell(receiver, new Note { Id = 2, Text = "small" }));
        Assert.Equal(SendStatus.Sent, runtime.Tell(receiver, new Num(3)));
        probe.WaitForCount(2, "the messages after the oversized one");

        // An ask with an oversized request fails with the same error and leaves no pending ask.
        await Assert.ThrowsAnyAsync<InvalidOperationException>(
            async () => await runtime.AskAsync<Note, Answer>(receiver, new Note { Id = 9, Text = tooBig }));
        Assert.Equal(0, runtime.PendingAsks);

        // From an agent: its send throws inside the handler; its next send still arrives.
        runtime.Tell(relay, new Num(10_000)); // the relay sends a note with a 10,000-character text
        runtime.Tell(relay, new Note { Id = 5, Text = "after" });
        probe.WaitForCount(3, "the relayed message after the oversized one");
        Assert.Single(errors);
        Assert.IsAssignableFrom<InvalidOperationException>(errors.Single());

        Assert.Equal([2, 3, 5], probe.Snapshot().Select(s => s.Value).Order());
        Assert.Equal(["after", "small"], probe.Notes.Select(n => n.Text).Order());
    }

    [Fact]
    public async Task Tell_UnmanagedStructLargerThanTheSlot_ArrivesIntactFromOutsideAndFromAnAgent()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        var received = new ConcurrentQueue<Wide>();
        AgentId receiver = runtime.Spawn(s_receiver, 3, () => new WideAgent(received, null), new AgentOptions { Worker = 1 });
        AgentId relay = runtime.Spawn(s_relay, 3, () => new WideAgent(received, receiver), new AgentOptions { Worker = 0 });
        Wide first = MakeWide(1);
        Wide second = MakeWide(2);

        runtime.Tell(receiver, first);
        runtime.Tell(relay, second); // the relay records it and forwards it agent-to-agent
        using (new System.Diagnostics.Activity("large-traced").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start())
        {
            runtime.Tell(receiver, MakeWide(3)); // traced: even less room inline
        }

        Eventually.True(() => received.Count == 4, "four wide structs");
        Wide[] all = [.. received.OrderBy(w => w.Id)];
        Assert.Equal(first, all[0]);
        Assert.Equal(second, all[1]);
        Assert.Equal(second, all[2]);
        Assert.Equal(MakeWide(3), all[3]);
    }

    [Fact]
    public async Task Tell_PayloadUnderMaxPayload_IsAcceptedWhateverTheSerializersSizeHint()
    {
        // 2,000 ASCII characters serialize to about 2 KB, well under a 4 KB limit; the string writer asks for
        // room for the worst case (3 bytes a character), which must not count against the limit.
        await using var runtime = new AgentRuntime(TestOptions.Default() with { MaxPayload = 4096 });
        using var probe = new Probe();
        AgentId receiver = runtime.Spawn(s_receiver, 2, () => new RecorderAgent(probe), new AgentOptions { Worker = 1 });
        string text = new('x', 2000);
        Assert.True(FastAgents.Serialization.FastSerializer.Serialize(new Note { Id = 1, Text = text }).Length < 4096);

        Assert.Equal(SendStatus.Sent, runtime.Tell(receiver, new Note { Id = 1, Text = text }));
        probe.WaitForCount(1, "the note under the limit");
        Assert.True(probe.Notes.TryDequeue(out Note? note));
        Assert.Equal(text, note.Text);
    }

    private static string MakeText(int length, int seed)
    {
        var random = new Random(seed);
        return string.Create(length, random, static (span, r) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)(i % 97 == 0 ? 'é' : 'a' + r.Next(26));
            }
        });
    }

    private static Wide MakeWide(int id)
    {
        var wide = new Wide { Id = id };
        for (int i = 0; i < Block.Length; i++)
        {
            wide.Data[i] = (id * 1_000_003L) + (i * 7919L);
        }

        return wide;
    }

    [System.Runtime.CompilerServices.InlineArray(Length)]
    public struct Block
    {
        public const int Length = 32;
        private long _element;
    }

    /// <summary>An unmanaged message of 264 bytes: raw-copy, but too large for a 128-byte slot.</summary>
    public struct Wide : IEquatable<Wide>
    {
        public int Id;
        public Block Data;

        public readonly bool Equals(Wide other) => Id == other.Id && ((ReadOnlySpan<long>)Data).SequenceEqual(other.Data);

        public override readonly bool Equals(object? obj) => obj is Wide other && Equals(other);

        public override readonly int GetHashCode() => Id;
    }

    internal sealed class WideAgent(ConcurrentQueue<Wide> received, AgentId? next) : Agent, IHandle<Wide>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Wide>(this);

        public void Handle(in Wide message, AgentContext context)
        {
            received.Enqueue(message);
            if (next is { } target)
            {
                context.Tell(target, message);
            }
        }
    }

    /// <summary>Forwards every note to the target; records a failed send instead of failing the handler.</summary>
    internal sealed class RelayAgent(AgentId target, ConcurrentQueue<Exception> errors) : Agent, IHandle<Note>, IHandle<Num>
    {
        protected internal override void Configure(HandlerMap handlers) => handlers.Add<Note>(this).Add<Num>(this);

        /// <summary>Sends a note with a text of <c>message.Value</c> characters, made here.</summary>
        public void Handle(in Num message, AgentContext context) =>
            Handle(new Note { Id = message.Value, Text = MakeText(message.Value, seed: 4) }, context);

        public void Handle(in Note message, AgentContext context)
        {
            try
            {
                context.Tell(target, message);
            }
            catch (InvalidOperationException ex)
            {
                errors.Enqueue(ex);
            }
        }
    }
}
