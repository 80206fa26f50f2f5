using System.CommandLine;
using System.Runtime.InteropServices;
using FastAgents.Router;
using Microsoft.Extensions.Logging;

namespace FastAgents.Cli.Router;

/// <summary><c>fastagents router</c>: runs the router daemon until SIGTERM or Ctrl-C, then drains and exits.</summary>
internal static class RouterCommand
{
    public static Command Create()
    {
        var socket = new Option<string?>("--socket") { Description = "Unix socket path to listen on (default: fastagents/router.sock under the temp directory; env FASTAGENTS_ROUTER_SOCKET)." };
        var tcp = new Option<string?>("--tcp") { Description = "Also listen on TCP host:port, e.g. 127.0.0.1:7400 (env FASTAGENTS_ROUTER_TCP)." };
        var token = new Option<string?>("--token") { Description = "Token clients must present (env FASTAGENTS_ROUTER_TOKEN)." };
        var http = new Option<string?>("--http-port") { Description = "Loopback port for /health and /metrics, or 'off' (default 9464; env FASTAGENTS_ROUTER_HTTP_PORT)." };
        var config = new Option<string?>("--config") { Description = "JSON file with any of: socketPath, socketMode, tcpEndpoint, token, httpPort, maxFrame, maxConnections, maxQueuedBytes, stallTimeoutMs, heartbeatMs, deadAfterMs, drainTimeoutMs, logLevel." };
        var maxFrame = new Option<int?>("--max-frame") { Description = "Largest frame accepted, in bytes (default 1048576)." };
        var maxConnections = new Option<int?>("--max-connections") { Description = "Most connections at once (default 1024)." };
        var maxQueued = new Option<int?>("--max-queued-bytes") { Description = "Bytes that may wait for one connection before its senders are paused (default 4194304)." };
        var logLevel = new Option<string?>("--log-level") { Description = "trace, debug, information (default), warning, error, critical or none (env FASTAGENTS_ROUTER_LOG_LEVEL)." };
        var command = new Command("router", "Runs the router daemon that links processes: listens on a Unix socket (owner-only) and optionally TCP, routes by agent, topic and capability, serves /health and /metrics on loopback. SIGTERM or Ctrl-C drains and stops it.");
        foreach (Option option in new Option[] { socket, tcp, token, http, config, maxFrame, maxConnections, maxQueued, logLevel })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            RouterOptions options;
            LogLevel? level;
            try
            {
                (options, level) = result.GetValue(config) is { } path ? RouterSettings.FromFile(path) : (new RouterOptions(), null);
                (options, level) = RouterSettings.FromEnvironment(options, level, Environment.GetEnvironmentVariable);
                options = options with
                {
                    SocketPath = result.GetValue(socket) ?? options.SocketPath,
                    TcpEndpoint = result.GetValue(tcp) ?? options.TcpEndpoint,
                    Token = result.GetValue(token) ?? options.Token,
                    HttpPort = result.GetValue(http) is { } port ? RouterSettings.ParsePort(port) : options.HttpPort,
                    MaxFrame = result.GetValue(maxFrame) ?? options.MaxFrame,
                    MaxConnections = result.GetValue(maxConnections) ?? options.MaxConnections,
                    MaxQueuedBytes = result.GetValue(maxQueued) ?? options.MaxQueuedBytes,
                };
                level = result.GetValue(logLevel) is { } text ? RouterSettings.ParseLevel(text) : level;
                options.Validate();
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"fastagents router: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            return await RunAsync(options, level ?? LogLevel.Information, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(RouterOptions options, LogLevel level, CancellationToken cancellationToken)
    {
        using ILoggerFactory logging = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            }));
        await using var router = new RouterServer(options, logging);
        try
        {
            await router.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Net.Sockets.SocketException or IOException)
        {
            await Console.Error.WriteLineAsync($"fastagents router: cannot start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        await using CancellationTokenRegistration cancelled = cancellationToken.Register(() => stop.TrySetResult());
        Console.Out.WriteLine($"READY router socket={options.SocketPath} tcp={router.TcpAddress?.ToString() ?? "-"} http={router.HttpAddress?.ToString() ?? "-"}");
        await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await stop.Task.ConfigureAwait(false);
        bool drained = await router.StopAsync().ConfigureAwait(false);
        return drained ? 0 : 3;
    }
}
