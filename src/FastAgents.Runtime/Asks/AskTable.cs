using System.Runtime.CompilerServices;

namespace FastAgents.Runtime.Internal;

/// <summary>
/// The runtime's pending asks, found by correlation id in O(1): the id is the entry's index and generation, with
/// the top bit set to tell it from a request between agents (whose reply is a message).
/// </summary>
internal sealed class AskTable
{
    public const ulong OperationBit = 1UL << 63;

    // Threads keep a freed entry only when the table is large enough that one entry per thread cannot matter.
    private const int MinCapacityToHold = 1024;

    private const int Free = 0;
    private const int Pending = 1;
    private const int Completed = 2; // claimed by whoever completes it; freed when the awaiter reads the result

    private readonly Entry[] _entries;

    // Free entries: a lock-free stack of indexes. The head packs a tag (bumped on every change, against ABA)
    // with index + 1 (0 = empty); _next[i] holds the index + 1 below entry i.
    private readonly int[] _next;
    private long _head;
    private int _highWater;

    // The entry a thread freed last, kept for that thread's next ask: a thread that awaits asks in a loop takes
    // and frees the same entry with no atomic instruction. At most one entry per thread is held this way.
    [ThreadStatic]
    private static AskTable? s_heldBy;

    [ThreadStatic]
    private static int s_heldIndex;

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
                if (Volatile.Read(ref _entries[i].State) == Pending)
                {
                    count++;
                }
            }

            return count;
        }
    }

    public static bool IsOperation(ulong correlationId) => (correlationId & OperationBit) != 0;

    /// <summary>
    /// Takes a free entry for an ask and returns its completion source (the entry's own, reused when it has the
    /// same reply type); false when the table is full.
    /// </summary>
    public bool TryAdd<TReply>(AgentId target, object owner, long deadlineMs, TimeSpan timeout, bool runContinuationsAsynchronously, out AskOperation<TReply>? op, out ulong correlationId)
    {
        int index;
        if (ReferenceEquals(s_heldBy, this))
        {
            s_heldBy = null;
            index = s_heldIndex;
        }
        else
        {
            index = Pop();
            if (index < 0)
            {
                op = null;
                correlationId = 0;
                return false;
            }
        }

        if (index >= Volatile.Read(ref _highWater))
        {
            int seen;
            while ((seen = Volatile.Read(ref _highWater)) <= index && Interlocked.CompareExchange(ref _highWater, index + 1, seen) != seen)
            {
            }
        }

        ref Entry entry = ref _entries[index];
        if (entry.Operation is not AskOperation<TReply> typed)
        {
            typed = new AskOperation<TReply>(this, index);
            entry.Operation = typed;
        }

        typed.RunContinuationsAsynchronously = runContinuationsAsynchronously;
        uint generation = entry.Generation + 1;
        if (generation == 0)
        {
            generation = 1;
        }

        entry.Generation = generation;
        entry.Target = target;
        entry.Owner = owner;
        entry.DeadlineMs = deadlineMs;
        entry.Timeout = timeout;
        Volatile.Write(ref entry.State, Pending);
        op = typed;
        correlationId = OperationBit | ((ulong)generation << 32) | (uint)index;
        return true;
    }

    /// <summary>Returns an entry to the free list once its ask's result has been read.</summary>
    public void Release(int index)
    {
        Volatile.Write(ref _entries[index].State, Free);
        AskTable? held = s_heldBy;
        if (held is null && _entries.Length >= MinCapacityToHold)
        {
            s_heldBy = this;
            s_heldIndex = index;
            return;
        }

        if (ReferenceEquals(held, this))
        {
            // Keep the newest (its lines are warm in this core) and return the older one.
            Push(s_heldIndex);
            s_heldIndex = index;
            return;
        }

        Push(index);
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
            || Interlocked.CompareExchange(ref entry.State, Completed, Pending) != Pending)
        {
            return null;
        }

        // Generation is re-checked after the claim: the entry could have been freed and reused in between.
        if (entry.Generation != (uint)((correlationId & ~OperationBit) >> 32))
        {
            Volatile.Write(ref entry.State, Pending);
            return null;
        }

        return entry.Operation;
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
                && Interlocked.CompareExchange(ref entry.State, Completed, Pending) == Pending)
            {
                onExpired(entry.Target, entry.Operation!, entry.Timeout);
                expired++;
            }
        }

        return expired;
    }

    /// <summary>
    /// Fails every pending ask owned by <paramref name="owner"/> (an agent's cell: asks to this instance of it; a link:
    /// asks that went through it), or every ask when null.
    /// </summary>
    public int FailAll(object? owner, Func<AgentId, Exception> error)
    {
        int failed = 0;
        int end = Volatile.Read(ref _highWater);
        for (int i = 0; i < end; i++)
        {
            ref Entry entry = ref _entries[i];
            if (Volatile.Read(ref entry.State) == Pending && (owner is null || ReferenceEquals(entry.Owner, owner))
                && Interlocked.CompareExchange(ref entry.State, Completed, Pending) == Pending)
            {
                entry.Operation!.SetException(error(entry.Target));
                failed++;
            }
        }

        return failed;
    }

    /// <summary>Fails every pending ask owned by <paramref name="owner"/> whose target <paramref name="match"/> accepts.</summary>
    public int FailWhere(object owner, Func<AgentId, bool> match, Func<AgentId, Exception> error)
    {
        int failed = 0;
        int end = Volatile.Read(ref _highWater);
        for (int i = 0; i < end; i++)
        {
            ref Entry entry = ref _entries[i];
            if (Volatile.Read(ref entry.State) == Pending && ReferenceEquals(entry.Owner, owner) && match(entry.Target)
                && Interlocked.CompareExchange(ref entry.State, Completed, Pending) == Pending)
            {
                entry.Operation!.SetException(error(entry.Target));
                failed++;
            }
        }

        return failed;
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
        public object? Owner; // the target's cell, or the link an ask to a remote agent went through
        public long DeadlineMs;
        public TimeSpan Timeout;
    }
}
