using System.Globalization;
using System.Text.Json;
using FastAgents.Router;
using Microsoft.Extensions.Logging;

namespace FastAgents.Cli.Router;

/// <summary>
/// The router's settings as the command assembles them: defaults, then the JSON config file, then environment
/// variables (FASTAGENTS_ROUTER_*), then flags; each later source wins.
/// </summary>
internal static class RouterSettings
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The file's settings over the defaults.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read or is not valid JSON for the settings.</exception>
    public static (RouterOptions Options, LogLevel? Level) FromFile(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            FileSettings file = JsonSerializer.Deserialize<FileSettings>(stream, s_json) ?? new FileSettings();
            var defaults = new RouterOptions();
            RouterOptions options = defaults with
            {
                SocketPath = file.SocketPath ?? defaults.SocketPath,
                SocketMode = file.SocketMode ?? defaults.SocketMode,
                TcpEndpoint = file.TcpEndpoint ?? defaults.TcpEndpoint,
                Token = file.Token ?? defaults.Token,
                HttpPort = file.HttpPort ?? defaults.HttpPort,
                MaxFrame = file.MaxFrame ?? defaults.MaxFrame,
                MaxConnections = file.MaxConnections ?? defaults.MaxConnections,
                MaxQueuedBytes = file.MaxQueuedBytes ?? defaults.MaxQueuedBytes,
                StallTimeout = Ms(file.StallTimeoutMs) ?? defaults.StallTimeout,
                HeartbeatInterval = Ms(file.HeartbeatMs) ?? defaults.HeartbeatInterval,
                DeadAfter = Ms(file.DeadAfterMs) ?? defaults.DeadAfter,
                DrainTimeout = Ms(file.DrainTimeoutMs) ?? defaults.DrainTimeout,
            };
            return (options, file.LogLevel is null ? null : ParseLevel(file.LogLevel));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The config file {path} cannot be used: {ex.Message}", ex);
        }
    }

    /// <summary>The environment's settings over <paramref name="options"/>.</summary>
    public static (RouterOptions Options, LogLevel? Level) FromEnvironment(RouterOptions options, LogLevel? level, Func<string, string?> read)
    {
        options = options with
        {
            SocketPath = read("FASTAGENTS_ROUTER_SOCKET") ?? options.SocketPath,
            TcpEndpoint = read("FASTAGENTS_ROUTER_TCP") ?? options.TcpEndpoint,
            Token = read("FASTAGENTS_ROUTER_TOKEN") ?? options.Token,
            HttpPort = read("FASTAGENTS_ROUTER_HTTP_PORT") is { } port ? ParsePort(port) : options.HttpPort,
        };
        return (options, read("FASTAGENTS_ROUTER_LOG_LEVEL") is { } text ? ParseLevel(text) : level);
    }

    /// <summary>Parses a log level name (trace, debug, information, warning, error, critical, none).</summary>
    /// <exception cref="FormatException">It is none of those.</exception>
    public static LogLevel ParseLevel(string text) =>
        Enum.TryParse(text, ignoreCase: true, out LogLevel level) && Enum.IsDefined(level)
            ? level
            : throw new FormatException($"'{text}' is not a log level (trace, debug, information, warning, error, critical, none).");

    /// <summary>An HTTP port, or "off" for none.</summary>
    public static int? ParsePort(string text) =>
        text.Equals("off", StringComparison.OrdinalIgnoreCase) ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535 ? port
        : throw new FormatException($"'{text}' is not a port number or 'off'.");

    private static TimeSpan? Ms(double? milliseconds) => milliseconds is double ms ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>The config file's shape (every field optional).</summary>
    internal sealed class FileSettings
    {
        public string? SocketPath { get; set; }

        public string? SocketMode { get; set; }

        public string? TcpEndpoint { get; set; }

        public string? Token { get; set; }

        public int? HttpPort { get; set; }

        public int? MaxFrame { get; set; }

        public int? MaxConnections { get; set; }

        public int? MaxQueuedBytes { get; set; }

        public double? StallTimeoutMs { get; set; }

        public double? HeartbeatMs { get; set; }

        public double? DeadAfterMs { get; set; }

        public double? DrainTimeoutMs { get; set; }

        public string? LogLevel { get; set; }
    }
}
