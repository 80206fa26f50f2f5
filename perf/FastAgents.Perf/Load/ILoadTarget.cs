namespace FastAgents.Perf.Load;

/// <summary>
/// What a load run drives: one send per call, reporting success or failure. A scenario implements it over
/// the thing it measures (a ring, a worker, a connection to the router).
/// </summary>
/// <remarks>
/// A send that finishes inline returns a completed <see cref="ValueTask{TResult}"/> (<c>new ValueTask&lt;bool&gt;(true)</c>),
/// which costs the generator no allocation: the engine reads the result at once and takes one timestamp.
/// A send that finishes later returns a pending task; the engine then records it when it completes, on
/// whichever thread completes it, and counts it as in flight until then. Throwing, or a faulted task,
/// counts as a failure. The engine may call a target from several threads at once (closed model).
/// </remarks>
public interface ILoadTarget
{
    /// <summary>Sends message number <paramref name="sequence"/> (0-based, warm-up included).</summary>
    /// <param name="sequence">The index of the send in the run; for the open model, its place in the schedule.</param>
    /// <param name="cancellationToken">Signalled when the run is cancelled.</param>
    /// <returns><see langword="true"/> when the send succeeded, <see langword="false"/> when it failed.</returns>
    ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken);
}
