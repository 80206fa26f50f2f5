namespace FastAgents.Orchestration;

/// <summary>Settings of a <see cref="SharedContext"/>.</summary>
public sealed record SharedContextOptions
{
    /// <summary>How many versions of each key are kept (the current one included); older ones are dropped. Default 16.</summary>
    public int HistoryLength
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(HistoryLength), value, "At least the current version.");
    } = 16;

    /// <summary>The clock that times changes. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
