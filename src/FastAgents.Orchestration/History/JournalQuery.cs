using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>A filter over a <see cref="MessageJournal"/>; every criterion that is set must hold.</summary>
public sealed record JournalQuery
{
    /// <summary>Only records of this run.</summary>
    public string? RunId { get; init; }

    /// <summary>Only records this agent sent or received.</summary>
    public AgentId? Agent { get; init; }

    /// <summary>Only records of this kind.</summary>
    public MessageKind? Kind { get; init; }

    /// <summary>Only records at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only records before this time (exclusive).</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>At most this many records: the oldest that match. Null for all.</summary>
    public int? Limit
    {
        get;
        init => field = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Limit), value, "Cannot be negative.");
    }

    /// <summary>True when <paramref name="record"/> passes every criterion except <see cref="Limit"/>.</summary>
    public bool Matches(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (RunId is null || string.Equals(record.RunId, RunId, StringComparison.Ordinal))
            && (Agent is not { } agent || record.Involves(agent))
            && (Kind is not { } kind || record.Kind == kind)
            && (Since is not { } since || record.Time >= since)
            && (Until is not { } until || record.Time < until);
    }
}
