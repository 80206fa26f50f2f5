using System.Threading.Tasks.Sources;

namespace FastAgents.Router;

/// <summary>
/// A reusable signal a connection's read loop awaits while the connection it routes to is full: one per
/// connection, armed before each wait. Signalling queues the waiter itself as a thread-pool work item, which
/// completes the wait there: nothing is allocated per wait, and the signaller (a send loop, under a lock) never runs
/// the read loop's continuation inline.
/// </summary>
internal sealed class RoomWaiter : IValueTaskSource<bool>, IThreadPoolWorkItem
{
    private ManualResetValueTaskSourceCore<bool> _core;
    private int _armed;

    /// <summary>Prepares a new wait and returns it.</summary>
    public ValueTask<bool> Arm()
    {
        _core.Reset();
        Volatile.Write(ref _armed, 1);
        return new ValueTask<bool>(this, _core.Version);
    }

    /// <summary>Ends the current wait, if any (safe from any thread, any number of times, under a lock).</summary>
    public void Signal()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute() => _core.SetResult(true);

    public bool GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
