using System.Text;
using Microsoft.Extensions.AI;

namespace FastAgents.Orchestration;

/// <summary>A selector model names the next speaker from the members' descriptions and the transcript.</summary>
internal sealed class AutoSelection(IChatClient selector, ChatOptions? options) : SpeakerSelection
{
    /// <summary>The system prompt of every selection call.</summary>
    internal const string SystemPrompt =
        "You choose who speaks next in a group conversation. Answer with the name of exactly one participant and nothing else.";

    public override string Name => "auto";

    public override async ValueTask<SpeakerChoice> SelectAsync(SelectionContext context, CancellationToken cancellationToken)
    {
        ChatMessage[] messages = [new(ChatRole.System, SystemPrompt), new(ChatRole.User, Prompt(context))];
        string answer;
        try
        {
            ChatResponse response = await selector.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            answer = response.Text;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return SpeakerChoice.Invalid($"the selector failed: {e.Message}");
        }

        int index = context.FindMember(answer);
        return index >= 0 ? SpeakerChoice.Of(index) : SpeakerChoice.Invalid($"the selector's answer '{answer.Trim()}' names no member");
    }

    /// <summary>Participants with descriptions, the conversation, then the question.</summary>
    internal static string Prompt(SelectionContext context)
    {
        var text = new StringBuilder("Participants:\n");
        foreach (GroupChatMember member in context.Members)
        {
            text.Append("- ").Append(member.Name);
            if (!string.IsNullOrEmpty(member.Description))
            {
                text.Append(": ").Append(member.Description);
            }

            text.Append('\n');
        }

        text.Append("\nConversation:\n");
        foreach (ChatEntry entry in context.Transcript)
        {
            text.Append(entry.ToString()).Append('\n');
        }

        text.Append("\nWho speaks next? Answer with one of: ").Append(GroupChat.NameList(context.Members)).Append('.');
        return text.ToString();
    }
}
