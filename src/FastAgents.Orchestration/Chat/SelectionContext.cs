using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>What a <see cref="SpeakerSelection"/> sees when it chooses the next speaker.</summary>
public sealed class SelectionContext
{
    internal SelectionContext(AgentRuntime runtime, string chatId, IReadOnlyList<GroupChatMember> members, IReadOnlyList<ChatEntry> transcript)
    {
        Runtime = runtime;
        ChatId = chatId;
        Members = members;
        Transcript = transcript;
    }

    /// <summary>The runtime the chat runs on (a selector may ask agents through it).</summary>
    public AgentRuntime Runtime { get; }

    /// <summary>The chat's id.</summary>
    public string ChatId { get; }

    /// <summary>The members, in the chat's order.</summary>
    public IReadOnlyList<GroupChatMember> Members { get; }

    /// <summary>The transcript so far (the task first); valid until the selector returns.</summary>
    public IReadOnlyList<ChatEntry> Transcript { get; }

    /// <summary>The number of the turn being chosen for (1 for the first).</summary>
    public int Turn { get; internal set; }

    /// <summary>The index of the member who spoke last; -1 before the first turn.</summary>
    public int LastSpeaker { get; internal set; } = -1;

    /// <summary>The member after <see cref="LastSpeaker"/> in the chat's order (the first before any turn).</summary>
    public int NextInTurn => (LastSpeaker + 1) % Members.Count;

    /// <summary>
    /// The member named by <paramref name="answer"/>: the whole answer (trimmed of spaces, quotes and final
    /// punctuation) equal to a name ignoring case, or else exactly one member's name appearing in it as a word.
    /// </summary>
    /// <returns>The member's index, or -1 when the answer names none or several.</returns>
    public int FindMember(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return -1;
        }

        ReadOnlySpan<char> name = answer.AsSpan().Trim().Trim("\"'`*.!:;,").Trim();
        for (int i = 0; i < Members.Count; i++)
        {
            if (name.Equals(Members[i].Name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        int found = -1;
        for (int i = 0; i < Members.Count; i++)
        {
            if (ContainsWord(answer, Members[i].Name))
            {
                if (found >= 0)
                {
                    return -1;
                }

                found = i;
            }
        }

        return found;
    }

    private static bool ContainsWord(string text, string word)
    {
        int at = 0;
        while ((at = text.IndexOf(word, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            int end = at + word.Length;
            bool startsWord = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            bool endsWord = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (startsWord && endsWord)
            {
                return true;
            }

            at = end;
        }

        return false;
    }
}
