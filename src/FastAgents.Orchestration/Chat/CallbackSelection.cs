namespace FastAgents.Orchestration;

/// <summary>The caller's function names the next speaker.</summary>
internal sealed class CallbackSelection(Func<SelectionContext, string?> chooser) : SpeakerSelection
{
    public override string Name => "manual";

    public override ValueTask<SpeakerChoice> SelectAsync(SelectionContext context, CancellationToken cancellationToken)
    {
        string? answer = chooser(context);
        int index = context.FindMember(answer);
        return new ValueTask<SpeakerChoice>(index >= 0
            ? SpeakerChoice.Of(index)
            : SpeakerChoice.Invalid($"the chooser's answer '{answer}' names no member"));
    }
}
