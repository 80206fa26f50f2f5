using System.Threading.Tasks.Sources;

namespace FastAgents.Router;

/// <summary>
/// A reusable signal a connection's read loop awaits while the connection it routes to is full: one per
/// connection, armed before each wait, so waiting allocates nothing.
/// </summary>
internal sealed class RoomWaiter : IValueTaskSource<bool>
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _armed;

    /// <summary>Prepares a new wait and returns it.</summary>
    public ValueTask<bool> Arm()
    {
        _core.Reset();
        Volatile.Write(ref _armed, 1);
        return new ValueTask<bool>(this, _core.Version);
    }

    /// <summary>Ends the current wait, if any (safe to call from any thread, any number of times).</summary>
    public void Signal()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _core.SetResult(true);
        }
    }

    public bool GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
