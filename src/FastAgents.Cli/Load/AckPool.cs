namespace FastAgents.Cli.Load;

/// <summary>
/// The <see cref="AckSource"/>s of a run: rented by the sending thread, returned when the load engine has read
/// the result, found by index when a tell's handler completes one. Grows when more sends are in flight than it
/// holds; never shrinks.
/// </summary>
/// <remarks>
/// Design: a lock around a stack of free indices. Renting and returning happen once per send each, on two threads
/// at most at a time in the open model; an uncontended lock costs less than the send. Sources are never removed, so
/// a handler may look one up in the array without the lock: it reads an array that holds at least every source
/// rented before its message was sent (a grown array is published only once it holds the old sources).
/// </remarks>
internal sealed class AckPool
{
    private const int MaxPreallocated = 65_536;

    private readonly Lock _gate = new();
    private AckSource[] _sources;
    private int[] _free;
    private int _freeCount;

    /// <summary>Creates the pool with <paramref name="expectedInFlight"/> sources (up to 65,536) made in advance.</summary>
    public AckPool(int expectedInFlight)
    {
        int size = Math.Clamp(expectedInFlight, 1, MaxPreallocated);
        _sources = new AckSource[size];
        _free = new int[size];
        for (int i = 0; i < size; i++)
        {
            _sources[i] = new AckSource(this, i);
            _free[i] = size - 1 - i;
        }

        _freeCount = size;
    }

    /// <summary>Sources made so far.</summary>
    public int Capacity => Volatile.Read(ref _sources).Length;

    /// <summary>Sources rented and not yet returned.</summary>
    public int Rented
    {
        get
        {
            lock (_gate)
            {
                return _sources.Length - _freeCount;
            }
        }
    }

    public AckSource Rent()
    {
        lock (_gate)
        {
            if (_freeCount == 0)
            {
                Grow();
            }

            return _sources[_free[--_freeCount]];
        }
    }

    public void Return(AckSource source)
    {
        lock (_gate)
        {
            _free[_freeCount++] = source.Index;
        }
    }

    /// <summary>Completes the send that <paramref name="tag"/> (from <see cref="AckSource.Tag"/>) names; bits above 47 are ignored.</summary>
    public void Complete(long tag, bool ok = true)
    {
        AckSource[] sources = Volatile.Read(ref _sources);
        int index = (int)(uint)tag;
        if ((uint)index < (uint)sources.Length)
        {
            sources[index].Complete((short)(ushort)(tag >> 32), ok);
        }
    }

    private void Grow()
    {
        int old = _sources.Length;
        var sources = new AckSource[old * 2];
        Array.Copy(_sources, sources, old);
        for (int i = old; i < sources.Length; i++)
        {
            sources[i] = new AckSource(this, i);
        }

        var free = new int[sources.Length];
        for (int i = 0; i < old; i++)
        {
            free[i] = sources.Length - 1 - i;
        }

        _free = free;
        _freeCount = old;
        Volatile.Write(ref _sources, sources);
    }
}
