namespace FastAgents.Orchestration;

/// <summary>A uniform draw among the members other than the previous speaker.</summary>
internal sealed class RandomSelection(int? seed) : SpeakerSelection
{
    private readonly Random _random = seed is { } value ? new Random(value) : new Random();
    private readonly Lock _gate = new();

    public override string Name => "random";

    public override ValueTask<SpeakerChoice> SelectAsync(SelectionContext context, CancellationToken cancellationToken)
    {
        int count = context.Members.Count;
        int last = context.LastSpeaker;
        int index;
        lock (_gate)
        {
            if (count == 1 || last < 0)
            {
                index = _random.Next(count);
            }
            else
            {
                // Draw among the others, then step over the previous speaker.
                index = _random.Next(count - 1);
                if (index >= last)
                {
                    index++;
                }
            }
        }

        return new ValueTask<SpeakerChoice>(SpeakerChoice.Of(index));
    }
}
