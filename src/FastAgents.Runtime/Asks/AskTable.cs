using System.Runtime.CompilerServices;

namespace FastAgents.Runtime.Internal;

/// <summary>
/// The runtime's pending asks, found by correlation id in O(1): the id is the entry's index and generation, with
/// the top bit set to tell it from a request between agents (whose reply is a message).
/// </summary>
internal sealed class AskTable
{
    public const ulong OperationBit = 1UL << 63;

    private const int Free = 0;
    private const int Pending = 1;
    private const int Claimed = 2;

    private readonly Entry[] _entries;

    // Free entries: a lock-free stack of indexes. The head packs a tag (bumped on every change, against ABA)
    // with index + 1 (0 = empty); _next[i] holds the index + 1 below entry i.
    private readonly int[] _next;
    private long _head;
    private int _highWater;

    public AskTable(int capacity)
    {
        _entries = new Entry[capacity];
        _next = new int[capacity];
        for (int i = 0; i < capacity - 1; i++)
        {
            _next[i] = i + 2;
        }

        _head = 1; // index 0 on top: low indexes are reused first, so scans stop at a small high-water mark
    }

    public int Capacity => _entries.Length;

    public int PendingCount
    {
        get
        {
            int count = 0;
            int end = Volatile.Read(ref _highWater);
            for (int i = 0; i < end; i++)
            {
                if (Volatile.Read(ref _entries[i].State) != Free)
                {
                    count++;
                }
            }

            return count;
        }
    }

    public static bool IsOperation(ulong correlationId) => (correlationId & OperationBit) != 0;

    /// <summary>Registers <paramref name="op"/>; false when the table is full.</summary>
    public bool TryAdd(AskOperation op, AgentId target, long deadlineMs, TimeSpan timeout, out ulong correlationId)
    {
        int index = Pop();
        if (index < 0)
        {
            correlationId = 0;
            return false;
        }

        if (index >= Volatile.Read(ref _highWater))
        {
            int seen;
            while ((seen = Volatile.Read(ref _highWater)) <= index && Interlocked.CompareExchange(ref _highWater, index + 1, seen) != seen)
            {
            }
        }

        ref Entry entry = ref _entries[index];
        uint generation = entry.Generation + 1;
        if (generation == 0)
        {
            generation = 1;
        }

        entry.Generation = generation;
        entry.Operation = op;
        entry.Target = target;
        entry.DeadlineMs = deadlineMs;
        entry.Timeout = timeout;
        Volatile.Write(ref entry.State, Pending);
        correlationId = OperationBit | ((ulong)generation << 32) | (uint)index;
        return true;
    }

    /// <summary>
    /// Takes the pending ask with this id, so that exactly one party completes it; null when it is unknown,
    /// already completed, or timed out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AskOperation? TryTake(ulong correlationId)
    {
        int index = (int)(uint)correlationId;
        if (!IsOperation(correlationId) || (uint)index >= (uint)_entries.Length)
        {
            return null;
        }

        ref Entry entry = ref _entries[index];
        if (Volatile.Read(ref entry.Generation) != (uint)((correlationId & ~OperationBit) >> 32)
            || Interlocked.CompareExchange(ref entry.State, Claimed, Pending) != Pending)
        {
            return null;
        }

        // Generation is re-checked after the claim: the entry could have been freed and reused in between.
        if (entry.Generation != (uint)((correlationId & ~OperationBit) >> 32))
        {
            Volatile.Write(ref entry.State, Pending);
            return null;
        }

        return Release(index, ref entry);
    }

    /// <summary>Fails every pending ask whose deadline has passed; returns how many.</summary>
    public int ExpireDue(long nowMs, Action<AgentId, AskOperation, TimeSpan> onExpired)
    {
        int expired = 0;
        int end = Volatile.Read(ref _highWater);
        for (int i = 0; i < end; i++)
        {
            ref Entry entry = ref _entries[i];
            if (Volatile.Read(ref entry.State) == Pending && entry.DeadlineMs <= nowMs
                && Interlocked.CompareExchange(ref entry.State, Claimed, Pending) == Pending)
            {
                AgentId target = entry.Target;
                TimeSpan timeout = entry.Timeout;
                AskOperation op = Release(i, ref entry);
                onExpired(target, op, timeout);
                expired++;
            }
        }

        return expired;
    }

    /// <summary>Fails every pending ask to <paramref name="target"/> (or every one, when target is None).</summary>
    public int FailAll(AgentId target, Func<AgentId, Exception> error)
    {
        int failed = 0;
        int end = Volatile.Read(ref _highWater);
        for (int i = 0; i < end; i++)
        {
            ref Entry entry = ref _entries[i];
            if (Volatile.Read(ref entry.State) == Pending && (target.IsNone || entry.Target == target)
                && Interlocked.CompareExchange(ref entry.State, Claimed, Pending) == Pending)
            {
                AgentId asked = entry.Target;
                Release(i, ref entry).SetException(error(asked));
                failed++;
            }
        }

        return failed;
    }

    private AskOperation Release(int index, ref Entry entry)
    {
        AskOperation op = entry.Operation!;
        entry.Operation = null;
        Volatile.Write(ref entry.State, Free);
        Push(index);
        return op;
    }

    private int Pop()
    {
        while (true)
        {
            long head = Volatile.Read(ref _head);
            int top = (int)(uint)head - 1;
            if (top < 0)
            {
                return -1;
            }

            long next = ((long)((ulong)head >> 32) + 1) << 32 | (uint)Volatile.Read(ref _next[top]);
            if (Interlocked.CompareExchange(ref _head, next, head) == head)
            {
                return top;
            }
        }
    }

    private void Push(int index)
    {
        while (true)
        {
            long head = Volatile.Read(ref _head);
            Volatile.Write(ref _next[index], (int)(uint)head);
            long next = ((long)((ulong)head >> 32) + 1) << 32 | (uint)(index + 1);
            if (Interlocked.CompareExchange(ref _head, next, head) == head)
            {
                return;
            }
        }
    }

    private struct Entry
    {
        public int State;
        public uint Generation;
        public AskOperation? Operation;
        public AgentId Target;
        public long DeadlineMs;
        public TimeSpan Timeout;
    }
}
