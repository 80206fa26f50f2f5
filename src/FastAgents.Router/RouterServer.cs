using System.Net;
using System.Net.Sockets;
using System.Text;
using FastAgents.Runtime;
using FastAgents.Transport;
using FastAgents.Transport.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastAgents.Router;

/// <summary>
/// The router daemon: accepts client connections on a Unix socket (and optionally TCP), routes envelopes between
/// them by agent id, topic and capability, and serves <c>/health</c> and <c>/metrics</c> over HTTP on loopback.
/// </summary>
/// <remarks>
/// Start it with <see cref="StartAsync"/>, stop it with <see cref="StopAsync"/> (stop accepting, drain what was
/// read, say goodbye, close). A client that breaks the protocol is closed with a specific, logged reason; every
/// other connection carries on.
/// </remarks>
public sealed class RouterServer : IAsyncDisposable
{
    private readonly List<Socket> _listeners = [];
    private readonly Dictionary<uint, RouterConnection> _connections = [];
    private readonly List<Task> _tasks = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private Timer? _timer;
    private WebApplication? _http;
    private uint _nextId;
    private volatile bool _draining;
    private Task<bool>? _stop;

    /// <summary>Creates the router (nothing listens until <see cref="StartAsync"/>).</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public RouterServer(RouterOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new RouterOptions();
        Options.Validate();
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = LoggerFactory.CreateLogger<RouterServer>();
        TokenBytes = Encoding.UTF8.GetBytes(Options.Token ?? string.Empty);
        Table = new RoutingTable(Logger);
    }

    /// <summary>The settings in effect.</summary>
    public RouterOptions Options { get; }

    /// <summary>Counters: connections, frames and bytes in and out, refusals, protocol errors, routing time.</summary>
    public RouterMetrics Metrics { get; } = new();

    /// <summary>Connections open now.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Agents registered by connected processes.</summary>
    public int AgentCount => Table.AgentCount;

    /// <summary>The URL of the HTTP endpoints once started (null when they are off).</summary>
    public Uri? HttpAddress { get; private set; }

    /// <summary>The TCP endpoint actually bound (useful with port 0), once started; null without TCP.</summary>
    public IPEndPoint? TcpAddress { get; private set; }

    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>True once <see cref="StopAsync"/> has begun.</summary>
    internal bool IsDraining => _draining;

    internal ILogger Logger { get; }

    internal byte[] TokenBytes { get; }

    internal RoutingTable Table { get; }

    /// <summary>Binds the listeners (a stale socket file is replaced; a live one is an error) and starts accepting.</summary>
    /// <exception cref="InvalidOperationException">Another router is listening on the socket path.</exception>
    /// <exception cref="SocketException">A listener could not be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(Options.SocketPath))
        {
            _listeners.Add(await BindUnixAsync(Options.SocketPath, cancellationToken).ConfigureAwait(false));
            RouterLog.Listening(Logger, "unix:" + Options.SocketPath);
        }

        if (!string.IsNullOrEmpty(Options.TcpEndpoint))
        {
            var endpoint = TransportEndpoint.Parse("tcp:" + Options.TcpEndpoint);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            IPEndPoint ip = endpoint.EndPoint as IPEndPoint
                ?? new IPEndPoint((await Dns.GetHostAddressesAsync(((DnsEndPoint)endpoint.EndPoint).Host, cancellationToken).ConfigureAwait(false))[0], ((DnsEndPoint)endpoint.EndPoint).Port);
            socket.Bind(ip);
            socket.Listen(512);
            TcpAddress = (IPEndPoint)socket.LocalEndPoint!;
            _listeners.Add(socket);
            RouterLog.Listening(Logger, "tcp:" + TcpAddress);
        }

        foreach (Socket listener in _listeners)
        {
            _tasks.Add(Task.Run(() => AcceptLoopAsync(listener)));
        }

        if (Options.HttpPort is int port)
        {
            await StartHttpAsync(port, cancellationToken).ConfigureAwait(false);
        }

        int period = (int)Math.Clamp(Options.HeartbeatInterval.TotalMilliseconds / 4, 10, 100);
        _timer = new Timer(static state => ((RouterServer)state!).Tick(), this, period, period);
    }

    /// <summary>
    /// Stops accepting, stops reading from clients, lets what was already read be written out until
    /// <paramref name="drainTimeout"/> (default <see cref="RouterOptions.DrainTimeout"/>), then says goodbye to every
    /// client and closes. Calling it again returns the first call's task.
    /// </summary>
    /// <returns>True when everything queued was written before the deadline.</returns>
    public Task<bool> StopAsync(TimeSpan? drainTimeout = null)
    {
        lock (_lock)
        {
            return _stop ??= StopCoreAsync(drainTimeout ?? Options.DrainTimeout);
        }
    }

    /// <summary>Stops with the default drain timeout.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>The health document served at /health.</summary>
    public string HealthJson() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{{\"status\":\"{(_draining ? "draining" : "ok")}\",\"connections\":{ConnectionCount},\"agents\":{AgentCount},\"uptime_s\":{(DateTimeOffset.UtcNow - _started).TotalSeconds:0}}}");

    /// <summary>The metrics served at /metrics, in Prometheus text format.</summary>
    public string MetricsText()
    {
        var text = new StringBuilder(4096);
        Metrics.WritePrometheus(text, AgentCount, QueuedBytes());
        return text.ToString();
    }

    internal void OnEnded(RouterConnection connection, bool joined)
    {
        lock (_lock)
        {
            _connections.Remove(connection.Id);
        }

        Metrics.Closed();
        if (!joined)
        {
            return;
        }

        List<AgentId> gone = Table.Remove(connection);
        RouterLog.Left(Logger, connection.Id, connection.Name, connection.CloseReason ?? "closed", Math.Max(0, gone.Count - 1));
        if (_draining || gone.Count == 0)
        {
            return;
        }

        // Every other process learns which agents left, so that its asks to them fail now.
        byte[] notice = Frames.Gone(gone);
        foreach (RouterConnection other in Snapshot())
        {
            other.WriteControl(notice);
        }
    }

    private async Task<Socket> BindUnixAsync(string path, CancellationToken cancellationToken)
    {
        string? directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        if (File.Exists(path))
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await probe.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException($"Another router is listening on {path}.");
            }
            catch (SocketException)
            {
                File.Delete(path); // nobody listens: a stale file from a router that died
            }
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(Options.SocketMode, 8));
        }

        socket.Listen(512);
        return socket;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            if (socket.AddressFamily != AddressFamily.Unix)
            {
                socket.NoDelay = true;
            }

            Metrics.Accepted();
            RouterConnection connection;
            bool full;
            lock (_lock)
            {
                connection = new RouterConnection(this, socket, ++_nextId);
                full = _connections.Count >= Options.MaxConnections || _draining;
                if (!full)
                {
                    _connections.Add(connection.Id, connection);
                }
            }

            if (full)
            {
                ErrorCode code = _draining ? ErrorCode.ShuttingDown : ErrorCode.TooManyConnections;
                Metrics.ProtocolError(code);
                try
                {
                    await socket.SendAsync(Frames.Error(code, _draining ? "The router is shutting down." : $"The router has {Options.MaxConnections} connections already.")).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                }

                socket.Dispose();
                Metrics.Closed();
                continue;
            }

            _ = Task.Run(connection.RunAsync);
        }
    }

    private RouterConnection[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _connections.Values];
        }
    }

    private long QueuedBytes()
    {
        long total = 0;
        foreach (RouterConnection connection in Snapshot())
        {
            total += connection.QueuedBytes;
        }

        return total;
    }

    private void Tick()
    {
        long now = Environment.TickCount64;
        Span<byte> heartbeat = stackalloc byte[Frames.HeartbeatSize];
        Frames.WriteHeartbeat(heartbeat, 0);
        foreach (RouterConnection connection in Snapshot())
        {
            // Waiters re-check their deadlines on every tick.
            connection.WakeStalled();
            if (connection.Node.IsNone)
            {
                continue; // still in its handshake, which has its own timeout
            }

            if (now - Volatile.Read(ref connection.LastReceivedMs) > (long)Options.DeadAfter.TotalMilliseconds)
            {
                Metrics.ProtocolError(ErrorCode.HeartbeatTimeout);
                connection.CloseAfter(Frames.Error(ErrorCode.HeartbeatTimeout, $"Nothing arrived for {Options.DeadAfter.TotalMilliseconds:0} ms."), "heartbeat timeout");
                continue;
            }

            if (now - connection.LastHeartbeatSentMs >= (long)Options.HeartbeatInterval.TotalMilliseconds)
            {
                connection.LastHeartbeatSentMs = now;
                connection.WriteControl(heartbeat);
            }
        }
    }

    private async Task StartHttpAsync(int port, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        WebApplication app = builder.Build();
        app.MapGet("/health", () => Results.Content(HealthJson(), "application/json", Encoding.UTF8, _draining ? 503 : 200));
        app.MapGet("/metrics", () => Results.Content(MetricsText(), "text/plain; version=0.0.4", Encoding.UTF8));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string? address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        HttpAddress = address is null ? null : new Uri(address);
        _http = app;
        RouterLog.Http(Logger, address ?? "?");
    }

    private async Task<bool> StopCoreAsync(TimeSpan drainTimeout)
    {
        _draining = true;
        RouterConnection[] connections = Snapshot();
        RouterLog.Stopping(Logger, connections.Length, drainTimeout.TotalMilliseconds);
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        if (!string.IsNullOrEmpty(Options.SocketPath))
        {
            try
            {
                File.Delete(Options.SocketPath);
            }
            catch (IOException)
            {
            }
        }

        foreach (RouterConnection connection in connections)
        {
            connection.StopReading();
        }

        long deadline = Environment.TickCount64 + (long)drainTimeout.TotalMilliseconds;
        while (QueuedBytes() > 0 && Environment.TickCount64 < deadline)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }

        long left = QueuedBytes();
        byte[] goodbye = Frames.Close(ErrorCode.ShuttingDown);
        foreach (RouterConnection connection in connections)
        {
            connection.CloseAfter(goodbye, "the router is shutting down");
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        if (_http is not null)
        {
            await _http.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _http.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_tasks).ConfigureAwait(false);
        RouterLog.Stopped(Logger, left == 0 ? "drained" : "deadline passed", left);
        return left == 0;
    }
}
