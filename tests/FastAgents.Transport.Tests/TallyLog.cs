namespace FastAgents.Transport.Tests;

/// <summary>The sequence numbers a <see cref="Tally"/> handled, in the order it handled them.</summary>
public sealed class TallyLog
{
    private readonly List<long> _seen = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count;
            }
        }
    }

    public void Add(long sequence)
    {
        lock (_lock)
        {
            _seen.Add(sequence);
        }
    }

    public long[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _seen];
        }
    }
}
