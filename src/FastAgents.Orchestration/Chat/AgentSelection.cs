using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>An agent (a person behind a user proxy) names the next speaker, asked through the runtime.</summary>
internal sealed class AgentSelection(AgentId chooser, TimeSpan? timeout) : SpeakerSelection
{
    public override string Name => "manual";

    public override async ValueTask<SpeakerChoice> SelectAsync(SelectionContext context, CancellationToken cancellationToken)
    {
        ChatEntry last = context.Transcript[^1];
        var request = new StepRequest
        {
            RunId = context.ChatId,
            Step = $"select-{context.Turn}",
            Attempt = 1,
            Instruction = $"Who speaks next? Answer with one of: {GroupChat.NameList(context.Members)}.",
            Parts = [last.Text ?? last.Error ?? ""],
            PartNames = [last.Speaker],
        };

        StepReply reply;
        try
        {
            reply = await GroupChat.AskAsync(context.Runtime, chooser, request, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return SpeakerChoice.Invalid($"asking the chooser failed: {e.Message}");
        }

        if (reply.Error is not null)
        {
            return SpeakerChoice.Invalid($"the chooser failed: {reply.Error}");
        }

        int index = context.FindMember(reply.Output);
        return index >= 0 ? SpeakerChoice.Of(index) : SpeakerChoice.Invalid($"the chooser's answer '{reply.Output}' names no member");
    }
}
