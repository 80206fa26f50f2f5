using FastAgents.Rings;

namespace FastAgents.Runtime;

/// <summary>Settings of an <see cref="AgentRuntime"/>. Every property has a default suited to a small machine.</summary>
public sealed record RuntimeOptions
{
    /// <summary>Worker threads. Default: one per core.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Pin worker i to core i (modulo the core count) on Linux. Default: off.</summary>
    public bool PinWorkers { get; init; }

    /// <summary>Slots per inbox lane (a power of two). Each worker has one lane per priority and source.</summary>
    public int LaneCapacity { get; init; } = 4096;

    /// <summary>Envelopes a worker takes from one lane per pass, by priority (High, Normal, Low).</summary>
    public IReadOnlyList<int> LaneQuotas { get; init; } = [256, 64, 16];

    /// <summary>
    /// How long an idle worker spins (watching its lanes, on its core) before it yields, then parks. Default 100 us:
    /// a burst that arrives within it is picked up in well under a microsecond, without a wake-up. On a machine with
    /// fewer cores than busy threads, or for a steady trickle of messages with gaps around this length, a shorter spin
    /// leaves the cores to the threads that have work (each wake-up then costs a few microseconds). Zero: no spin.
    /// </summary>
    public TimeSpan IdleSpin { get; init; } = SpinThenParkWait.DefaultSpin;

    /// <summary>How long an idle worker yields its core (after <see cref="IdleSpin"/>) before it parks. Default 20 us.</summary>
    public TimeSpan IdleYield { get; init; } = SpinThenParkWait.DefaultYield;

    /// <summary>How long a send with <see cref="Backpressure.Wait"/> waits for room before it throws.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The timeout of an ask that does not give one.</summary>
    public TimeSpan DefaultAskTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Asks that can be waiting for a reply at once; an ask beyond that fails at once. (Each thread that has read an ask's result may keep one free entry for its next ask.)</summary>
    public int MaxPendingAsks { get; init; } = 16384;

    /// <summary>
    /// Whether an ask's continuation runs on the thread pool (true) or on the replying worker (false, the default,
    /// like a <see cref="TaskCompletionSource{TResult}"/> created without options). With false, code after an
    /// <c>await</c> of an ask runs on a worker until its next await: keep it short, or set this.
    /// </summary>
    public bool RunAskContinuationsAsynchronously { get; init; }

    /// <summary>Largest payload a send accepts, in bytes.</summary>
    public int MaxPayload { get; init; } = 16 << 20;

    /// <summary>Envelopes a worker may claim in another worker's lane before it publishes them (it always publishes at the end of a pass).</summary>
    public int PublishBatch { get; init; } = 32;

    /// <summary>A worker busy for longer than this without finishing a pass marks its agents unresponsive.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Stamp every envelope's timestamp (costs a clock read per send). Default: off.</summary>
    public bool StampTimestamps { get; init; }

    /// <summary>Carry <see cref="System.Diagnostics.Activity.Current"/>'s context in envelopes sent from outside agents, and the current envelope's onward. Default: on.</summary>
    public bool PropagateTraceContext { get; init; } = true;

    /// <summary>Recent dead letters kept for <see cref="DeadLetterOffice.Recent"/>.</summary>
    public int DeadLettersKept { get; init; } = 1024;

    /// <summary>Called (on the thread that dead-letters) for every dead letter; must not throw or block.</summary>
    public Action<DeadLetter>? OnDeadLetter { get; init; }

    /// <summary>Name of the runtime in metrics (tag <c>runtime</c>) and thread names.</summary>
    public string Name { get; init; } = "fastagents";

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, nameof(Workers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Workers, 1024, nameof(Workers));
        if (LaneCapacity < 64 || (LaneCapacity & (LaneCapacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LaneCapacity), LaneCapacity, "Lane capacity must be a power of two, at least 64.");
        }

        if (LaneQuotas.Count != 3)
        {
            throw new ArgumentOutOfRangeException(nameof(LaneQuotas), LaneQuotas.Count, "Give one quota per priority: High, Normal, Low.");
        }

        foreach (int quota in LaneQuotas)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(quota, 1, nameof(LaneQuotas));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingAsks, 1, nameof(MaxPendingAsks));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPayload, Internal.Lane.InlineCapacity, nameof(MaxPayload));
        ArgumentOutOfRangeException.ThrowIfLessThan(PublishBatch, 1, nameof(PublishBatch));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendTimeout, TimeSpan.Zero, nameof(SendTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DefaultAskTimeout, TimeSpan.Zero, nameof(DefaultAskTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatTimeout, TimeSpan.Zero, nameof(HeartbeatTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(DeadLettersKept, nameof(DeadLettersKept));
        ArgumentOutOfRangeException.ThrowIfLessThan(IdleSpin, TimeSpan.Zero, nameof(IdleSpin));
        ArgumentOutOfRangeException.ThrowIfLessThan(IdleYield, TimeSpan.Zero, nameof(IdleYield));
    }
}
