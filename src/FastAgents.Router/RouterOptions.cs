using FastAgents.Transport;
using FastAgents.Transport.Protocol;

namespace FastAgents.Router;

/// <summary>Settings of a <see cref="RouterServer"/> (the <c>fastagents router</c> command reads them from flags, environment and a JSON file).</summary>
public sealed record RouterOptions
{
    /// <summary>The Unix socket to listen on; default <see cref="TransportEndpoint.DefaultSocketPath"/>. Empty for none.</summary>
    public string? SocketPath { get; init; } = TransportEndpoint.DefaultSocketPath;

    /// <summary>
    /// File mode of the socket (octal as text, e.g. "600"): owner-only by default, so that only this user's
    /// processes can connect.
    /// </summary>
    public string SocketMode { get; init; } = "600";

    /// <summary>A TCP endpoint to listen on as well (<c>host:port</c>); none by default. Use a loopback address unless the network is trusted and a token is set.</summary>
    public string? TcpEndpoint { get; init; }

    /// <summary>The token clients must present in their hello; none by default (the socket's permissions are the protection).</summary>
    public string? Token { get; init; }

    /// <summary>Loopback port of the HTTP endpoints (/health, /metrics); 0 picks a free port, null turns them off. Default 9464.</summary>
    public int? HttpPort { get; init; } = 9464;

    /// <summary>The largest frame accepted; default 1 MiB.</summary>
    public int MaxFrame { get; init; } = Frames.DefaultMaxFrame;

    /// <summary>Most connections at once; default 1024.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>
    /// Bytes that may wait in the router for one connection; default 4 MiB. Past it, senders to that connection are
    /// paused (their sockets stop being read) for up to <see cref="StallTimeout"/>, then their envelopes are refused.
    /// </summary>
    public int MaxQueuedBytes { get; init; } = 4 << 20;

    /// <summary>How long a sender waits for a full connection before its envelopes are refused as InboxFull; default 5 s.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a new connection has to send its hello; default 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the router sends heartbeats to idle connections; default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence after which a connection is declared dead and dropped; default 5 s.</summary>
    public TimeSpan DeadAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>On shutdown, how long in-flight frames may take to drain; default 5 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(SocketPath) && string.IsNullOrEmpty(TcpEndpoint))
        {
            throw new ArgumentException("The router needs a socket path or a TCP endpoint to listen on.");
        }

        if (!string.IsNullOrEmpty(TcpEndpoint))
        {
            TransportEndpoint.Parse("tcp:" + TcpEndpoint);
        }

        if (SocketMode.Length is < 3 or > 4 || !SocketMode.All(static c => c is >= '0' and <= '7'))
        {
            throw new ArgumentException($"SocketMode '{SocketMode}' is not an octal file mode such as 600.");
        }

        Check(MaxFrame >= Frames.MinMaxFrame, nameof(MaxFrame), $"at least {Frames.MinMaxFrame}");
        Check(MaxConnections >= 1, nameof(MaxConnections), "at least 1");
        Check(MaxQueuedBytes >= MaxFrame, nameof(MaxQueuedBytes), "at least MaxFrame");
        Check(HttpPort is null or (>= 0 and <= 65535), nameof(HttpPort), "a port number");
        Check(HeartbeatInterval > TimeSpan.Zero && DeadAfter > HeartbeatInterval, nameof(DeadAfter), "longer than a positive HeartbeatInterval");
        Check(StallTimeout >= TimeSpan.Zero && HandshakeTimeout > TimeSpan.Zero && DrainTimeout >= TimeSpan.Zero, nameof(StallTimeout), "not negative (HandshakeTimeout positive)");
        if (Token is { Length: > Frames.MaxTokenBytes })
        {
            throw new ArgumentException($"Token must have at most {Frames.MaxTokenBytes} bytes.");
        }
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"{name} must be {rule}.");
        }
    }
}
