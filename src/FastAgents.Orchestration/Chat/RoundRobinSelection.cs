namespace FastAgents.Orchestration;

/// <summary>Each member in order.</summary>
internal sealed class RoundRobinSelection : SpeakerSelection
{
    public override string Name => "round-robin";

    public override ValueTask<SpeakerChoice> SelectAsync(SelectionContext context, CancellationToken cancellationToken) =>
        new(SpeakerChoice.Of(context.NextInTurn));
}
