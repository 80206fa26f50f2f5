namespace FastAgents.Orchestration;

/// <summary>Settings of a <see cref="MessageJournal"/>.</summary>
public sealed record JournalOptions
{
    /// <summary>How many records are kept in memory; the oldest are dropped beyond it. Default 10,000.</summary>
    public int Capacity
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Capacity), value, "At least one record.");
    } = 10_000;

    /// <summary>The clock that times records. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>When set, every record is also appended to files (JSON lines) with size-based rotation.</summary>
    public JournalFileOptions? File { get; init; }
}
