using FastAgents.Transport.Protocol;
using Microsoft.Extensions.Logging;

namespace FastAgents.Router;

/// <summary>The router's log messages (source-generated: nothing is formatted unless the level is on).</summary>
internal static partial class RouterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Router listening on {Endpoint}.")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Connection {ConnectionId} from '{Name}' (node {Node}) joined.")]
    public static partial void Joined(ILogger logger, uint connectionId, string name, string node);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Connection {ConnectionId} ('{Name}') left: {Reason}; {Agents} agents dropped.")]
    public static partial void Left(ILogger logger, uint connectionId, string name, string reason, int agents);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Connection {ConnectionId} ('{Name}') closed for a protocol error ({Code}): {Reason}")]
    public static partial void ProtocolError(ILogger logger, uint connectionId, string name, ErrorCode code, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Agent {Agent} registered by connection {ConnectionId} was owned by connection {Previous}; the newer one wins.")]
    public static partial void AgentMoved(ILogger logger, string agent, uint connectionId, uint previous);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Connection {ConnectionId} ('{Name}') has been full for {TimeoutMs} ms: envelopes to it are refused until it drains.")]
    public static partial void Overloaded(ILogger logger, uint connectionId, string name, double timeoutMs);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Router stopping: {Connections} connections, draining for up to {DeadlineMs} ms.")]
    public static partial void Stopping(ILogger logger, int connections, double deadlineMs);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Router stopped ({Drained}): {QueuedBytes} bytes were still queued.")]
    public static partial void Stopped(ILogger logger, string drained, long queuedBytes);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "HTTP endpoints on {Url} (/health, /metrics).")]
    public static partial void Http(ILogger logger, string url);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Connection {ConnectionId} ended abruptly: {Reason}")]
    public static partial void Aborted(ILogger logger, uint connectionId, string reason);
}
