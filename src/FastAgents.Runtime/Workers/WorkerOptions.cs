namespace FastAgents.Runtime.Workers;

/// <summary>How a <see cref="Worker{THandler}"/> is laid out and scheduled.</summary>
public sealed class WorkerOptions
{
    /// <summary>
    /// Envelopes a pass takes from each lane at most, highest priority first; its length is the number of
    /// lanes. Every lane gets its share on every pass, so a flood of urgent work slows the lower lanes but
    /// never stalls them (the starvation guard). Default: 256, 64, 16.
    /// </summary>
    public IReadOnlyList<int> LaneQuotas { get; init; } = [256, 64, 16];

    /// <summary>Slots in each lane's ring (a power of two). Default: 4096.</summary>
    public int LaneCapacity { get; init; } = 4096;

    /// <summary>A CPU to pin the worker thread to (Linux), or -1 to let the scheduler place it.</summary>
    public int PinToCpu { get; init; } = -1;

    /// <summary>The largest payload a sender may post, in bytes. Default: 16 MiB.</summary>
    public int MaxPayload { get; init; } = Envelopes.SlotPayloadWriter.DefaultMaxPayload;

    internal void Validate()
    {
        if (LaneQuotas.Count is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(LaneQuotas), LaneQuotas.Count, "A worker has between 1 and 8 lanes.");
        }

        foreach (int quota in LaneQuotas)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(quota, 1, nameof(LaneQuotas));
        }

        if (LaneCapacity < 2 || (LaneCapacity & (LaneCapacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LaneCapacity), LaneCapacity, "Lane capacity must be a power of two, at least 2.");
        }
    }
}
