namespace FastAgents.Orchestration;

/// <summary>
/// What a <see cref="SpeakerSelection"/> decided: a member's index, or an invalid choice with its reason (the chat then
/// falls back to the next member in turn and logs the reason).
/// </summary>
public readonly record struct SpeakerChoice
{
    private SpeakerChoice(int index, string? reason)
    {
        Index = index;
        Reason = reason;
    }

    /// <summary>The chosen member's index in <see cref="SelectionContext.Members"/>; -1 when the choice is invalid.</summary>
    public int Index { get; }

    /// <summary>Why the choice is invalid; null when it is valid.</summary>
    public string? Reason { get; }

    /// <summary>True when a member was chosen.</summary>
    public bool IsValid => Index >= 0;

    /// <summary>Member <paramref name="index"/> speaks next.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static SpeakerChoice Of(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new SpeakerChoice(index, null);
    }

    /// <summary>No valid member was chosen, because of <paramref name="reason"/>.</summary>
    public static SpeakerChoice Invalid(string reason) => new(-1, reason);
}
