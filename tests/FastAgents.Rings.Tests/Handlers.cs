namespace FastAgents.Rings.Tests;

/// <summary>
/// Checks that each producer's events arrive exactly once and in the order it published them: the value is
/// <c>producer &lt;&lt; 40 | counter</c>, and each producer's counter must be the previous one plus one.
/// A gap is a loss, a repeat is a duplicate, a step back is a reordering: each throws at once.
/// </summary>
public struct PerProducerOrderHandler : IEventHandler<TestEvent>
{
    public const int ProducerShift = 40;
    public const long CounterMask = (1L << ProducerShift) - 1;

    private readonly long[] _next;

    public PerProducerOrderHandler(int producers) => _next = new long[producers];

    public long Count { get; private set; }

    public long Batches { get; private set; }

    public readonly long NextExpected(int producer) => _next[producer];

    public static long Encode(int producer, long counter) => ((long)producer << ProducerShift) | counter;

    public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
    {
        int producer = (int)(data.Value >> ProducerShift);
        long counter = data.Value & CounterMask;
        if ((uint)producer >= (uint)_next.Length)
        {
            throw new InvalidOperationException($"Sequence {sequence}: unknown producer {producer} (torn or stale slot).");
        }

        long expected = _next[producer];
        if (counter != expected)
        {
            string kind = counter < expected ? "duplicate or reordered" : "lost";
            throw new InvalidOperationException($"Sequence {sequence}: producer {producer} sent counter {counter}, expected {expected} ({kind}).");
        }

        _next[producer] = expected + 1;
        Count++;
        if (endOfBatch)
        {
            Batches++;
        }
    }
}

/// <summary>A first-stage handler that stamps each slot and spins a little per event (a slow consumer).</summary>
public struct StampingHandler : IEventHandler<TestEvent>
{
    private readonly int _workPerEvent;

    public StampingHandler(int workPerEvent) => _workPerEvent = workPerEvent;

    public long Count { get; private set; }

    public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
    {
        if (data.Stage != 0)
        {
            throw new InvalidOperationException($"Sequence {sequence}: stage {data.Stage} before the first stage ran.");
        }

        data.Stage = 1;
        if (_workPerEvent > 0)
        {
            Thread.SpinWait(_workPerEvent);
        }

        Count++;
    }
}

/// <summary>A second-stage handler: every slot must carry the first stage's stamp (it ran first), then it is reset.</summary>
public struct AfterStampHandler : IEventHandler<TestEvent>
{
    private PerProducerOrderHandler _order;

    public AfterStampHandler(int producers) => _order = new PerProducerOrderHandler(producers);

    public readonly long Count => _order.Count;

    public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
    {
        if (data.Stage != 1)
        {
            throw new InvalidOperationException($"Sequence {sequence}: second stage overtook the first (stage {data.Stage}).");
        }

        data.Stage = 0;
        _order.OnEvent(ref data, sequence, endOfBatch);
    }
}

/// <summary>Records the calling thread's allocated bytes at two chosen sequences.</summary>
public struct AllocationProbeHandler : IEventHandler<TestEvent>
{
    private readonly long _startAt;
    private readonly long _stopAt;

    public AllocationProbeHandler(long startAt, long stopAt)
    {
        _startAt = startAt;
        _stopAt = stopAt;
    }

    public long BytesAtStart { get; private set; }

    public long BytesAtStop { get; private set; }

    public long Sum { get; private set; }

    public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
    {
        Sum += data.Value;
        if (sequence == _startAt)
        {
            BytesAtStart = GC.GetAllocatedBytesForCurrentThread();
        }
        else if (sequence == _stopAt)
        {
            BytesAtStop = GC.GetAllocatedBytesForCurrentThread();
        }
    }
}
