namespace FastAgents.Gate.Cases;

/// <summary>The messages of the runtime cases: 8-byte structs, copied into ring slots as they are.</summary>
internal static class AgentMessages
{
    /// <summary>Tells the source to send <paramref name="Count"/> ticks.</summary>
    public readonly record struct Go(int Count);

    /// <summary>One message of the tell case.</summary>
    public readonly record struct Tick(long Value);

    /// <summary>The ask case's request.</summary>
    public readonly record struct Question(long Value);

    /// <summary>The ask case's reply: the question's value plus one.</summary>
    public readonly record struct Answer(long Value);
}
