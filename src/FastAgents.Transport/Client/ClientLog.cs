using FastAgents.Transport.Protocol;
using Microsoft.Extensions.Logging;

namespace FastAgents.Transport.Client;

/// <summary>The client's log messages (source-generated: no formatting unless the level is on).</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connected to the router at {Endpoint} (connection {ConnectionId}).")]
    public static partial void Connected(ILogger logger, string endpoint, uint connectionId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Lost the router at {Endpoint}: {Reason}; {FailedAsks} asks through it failed. Reconnecting.")]
    public static partial void Disconnected(ILogger logger, string endpoint, string reason, int failedAsks);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Reconnecting to {Endpoint} failed: {Reason}; next attempt in about {DelayMs} ms.")]
    public static partial void ReconnectFailed(ILogger logger, string endpoint, string reason, double delayMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "The router at {Endpoint} broke the protocol ({Code}): {Reason}. Closing the connection.")]
    public static partial void ProtocolError(ILogger logger, string endpoint, ErrorCode code, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "The router at {Endpoint} reported {Code}: {Reason}.")]
    public static partial void RouterError(ILogger logger, string endpoint, ErrorCode code, string reason);
}
