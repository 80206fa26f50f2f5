using FastAgents.Rings;
using Microsoft.Extensions.Logging;

namespace FastAgents.Transport;

/// <summary>Settings of a <see cref="RouterClient"/>.</summary>
public sealed record RouterClientOptions
{
    /// <summary>The router's endpoint (<c>unix:/path</c>, a path, or <c>tcp:host:port</c>); default <see cref="TransportEndpoint.DefaultSocketPath"/>.</summary>
    public string Endpoint { get; init; } = TransportEndpoint.DefaultSocketPath;

    /// <summary>This process's name in the router's logs and metrics.</summary>
    public string Name { get; init; } = AppDomain.CurrentDomain.FriendlyName;

    /// <summary>The router's token, when it requires one.</summary>
    public string? Token { get; init; }

    /// <summary>How often to send a heartbeat when the link is idle; default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence from the router after which the connection is declared dead and replaced; default 5 s.</summary>
    public TimeSpan DeadAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one connection attempt (connect and handshake) may take; default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait before reconnecting; it doubles (with jitter) up to <see cref="ReconnectMaxDelay"/>. Default 50 ms.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest wait between reconnection attempts; default 2 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Envelope slots in the outbound ring (a power of two; default 65536). When it is full, senders wait, fail or
    /// drop according to their backpressure choice.
    /// </summary>
    public int OutboundCapacity { get; init; } = 1 << 16;

    /// <summary>The largest frame this client accepts; default 1 MiB.</summary>
    public int MaxFrame { get; init; } = Protocol.Frames.DefaultMaxFrame;

    /// <summary>Bytes gathered before one socket write (frames are coalesced up to this); default 64 KiB.</summary>
    public int WriteBufferSize { get; init; } = 64 * 1024;

    /// <summary>
    /// How long the writer thread spins on an empty outbound ring before it yields, then parks (default 100 us).
    /// Frames published within it go out without a wake-up; see <see cref="Runtime.RuntimeOptions.IdleSpin"/> for when a
    /// shorter spin is better.
    /// </summary>
    public TimeSpan IdleSpin { get; init; } = SpinThenParkWait.DefaultSpin;

    /// <summary>How long the writer thread yields (after <see cref="IdleSpin"/>) before it parks; default 20 us.</summary>
    public TimeSpan IdleYield { get; init; } = SpinThenParkWait.DefaultYield;

    /// <summary>Where the client logs connection events; none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    internal void Validate()
    {
        TransportEndpoint.Parse(Endpoint);
        if (OutboundCapacity < 64 || (OutboundCapacity & (OutboundCapacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(OutboundCapacity), OutboundCapacity, "OutboundCapacity must be a power of two, at least 64.");
        }

        if (MaxFrame < Protocol.Frames.MinMaxFrame)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrame), MaxFrame, $"MaxFrame must be at least {Protocol.Frames.MinMaxFrame}.");
        }

        if (WriteBufferSize < 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(WriteBufferSize), WriteBufferSize, "WriteBufferSize must be at least 4096.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(IdleSpin, TimeSpan.Zero, nameof(IdleSpin));
        ArgumentOutOfRangeException.ThrowIfLessThan(IdleYield, TimeSpan.Zero, nameof(IdleYield));
        if (HeartbeatInterval <= TimeSpan.Zero || DeadAfter <= HeartbeatInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(DeadAfter), DeadAfter, "HeartbeatInterval must be positive and DeadAfter longer than it.");
        }

        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(ReconnectMaxDelay), ReconnectMaxDelay, "Reconnect delays must be positive, the maximum at least the minimum.");
        }
    }
}
