using Microsoft.Extensions.Logging;

namespace FastAgents.Orchestration;

/// <summary>The group chat's log messages (source-generated: no boxing, nothing formatted while the level is off).</summary>
internal static partial class GroupChatLog
{
    [LoggerMessage(EventId = 1, EventName = "SelectionFallback", Level = LogLevel.Warning,
        Message = "Chat {Chat} turn {Turn}: {Selection} selection gave no valid speaker ({Reason}); {Fallback} speaks instead.")]
    public static partial void SelectionFallback(ILogger logger, string chat, int turn, string selection, string reason, string fallback);

    [LoggerMessage(EventId = 2, EventName = "TurnFailed", Level = LogLevel.Warning,
        Message = "Chat {Chat} turn {Turn}: {Speaker} failed: {Reason}")]
    public static partial void TurnFailed(ILogger logger, string chat, int turn, string speaker, string reason);

    [LoggerMessage(EventId = 3, EventName = "AdminTakeover", Level = LogLevel.Information,
        Message = "Chat {Chat} was cancelled at turn {Turn}; {Admin} takes over.")]
    public static partial void AdminTakeover(ILogger logger, string chat, int turn, string admin);
}
