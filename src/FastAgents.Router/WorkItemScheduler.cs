namespace FastAgents.Router;

/// <summary>
/// A pipe scheduler for one pipe's reader: it runs the continuation on the thread pool through a work item it
/// reuses, where <see cref="System.IO.Pipelines.PipeScheduler.ThreadPool"/> allocates one per flush.
/// </summary>
/// <remarks>
/// A pipe has at most one reader continuation pending at a time (one ReadAsync outstanding), so one slot is enough;
/// a second schedule while one is queued would be a bug in the caller and is caught by the assertion.
/// </remarks>
internal sealed class WorkItemScheduler : System.IO.Pipelines.PipeScheduler, IThreadPoolWorkItem
{
    private Action<object?>? _action;
    private object? _state;

    public override void Schedule(Action<object?> action, object? state)
    {
        System.Diagnostics.Debug.Assert(_action is null, "one continuation at a time");
        _state = state;
        Volatile.Write(ref _action, action);
        System.Threading.ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    public void Execute()
    {
        Action<object?> action = _action!;
        object? state = _state;
        _action = null;
        _state = null;
        action(state);
    }
}
