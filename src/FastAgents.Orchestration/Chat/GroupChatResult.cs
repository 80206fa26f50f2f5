namespace FastAgents.Orchestration;

/// <summary>The outcome of <see cref="GroupChat.RunAsync(string, CancellationToken)"/>: how it ended and everything that was said.</summary>
public sealed class GroupChatResult
{
    internal GroupChatResult(string chatId, GroupChatStatus status, IReadOnlyList<ChatEntry> transcript, Exception? error)
    {
        ChatId = chatId;
        Status = status;
        Transcript = transcript;
        Error = error;
        for (int i = transcript.Count - 1; i > 0; i--)
        {
            if (transcript[i].Error is null)
            {
                Output = transcript[i].Text;
                break;
            }
        }

        foreach (ChatEntry entry in transcript)
        {
            if (entry.Turn > 0 && entry.Selection != "admin")
            {
                Turns = Math.Max(Turns, entry.Turn);
            }

            InputTokens += entry.InputTokens;
            OutputTokens += entry.OutputTokens;
        }
    }

    /// <summary>The chat's id: the <see cref="StepRequest.RunId"/> of every turn.</summary>
    public string ChatId { get; }

    /// <summary>How the chat ended.</summary>
    public GroupChatStatus Status { get; }

    /// <summary>The task (entry 0), then every turn in order, failed and cancelled ones included, then the admin's word if any.</summary>
    public IReadOnlyList<ChatEntry> Transcript { get; }

    /// <summary>The text of the last turn that succeeded (the admin's word after a takeover); null when none did.</summary>
    public string? Output { get; }

    /// <summary>The number of turns taken by members (the admin's closing word not counted).</summary>
    public int Turns { get; }

    /// <summary>Input tokens of all turns.</summary>
    public long InputTokens { get; }

    /// <summary>Output tokens of all turns.</summary>
    public long OutputTokens { get; }

    /// <summary>Why the chat failed (<see cref="GroupChatStatus.Failed"/>); null otherwise.</summary>
    public Exception? Error { get; }
}
