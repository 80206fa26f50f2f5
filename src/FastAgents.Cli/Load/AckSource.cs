using System.Threading.Tasks.Sources;

namespace FastAgents.Cli.Load;

/// <summary>
/// The completion behind one pending load send, reused from an <see cref="AckPool"/>: completed by the target
/// agent's handler (tell) or by the ask's reply (ask), read once by the load engine, then returned to the pool.
/// </summary>
internal sealed class AckSource : IValueTaskSource<bool>
{
    private readonly AckPool _pool;
    private readonly Action _onAskCompleted;
    private ManualResetValueTaskSourceCore<bool> _core;
    private ValueTask<LoadAck> _ask;
    private long _expectedTag;

    public AckSource(AckPool pool, int index)
    {
        _pool = pool;
        Index = index;
        _onAskCompleted = OnAskCompleted;
    }

    /// <summary>Place in the pool; with <see cref="Version"/> it makes the tag a tell carries.</summary>
    public int Index { get; }

    /// <summary>Changes each time the source is reused, so a stale tag cannot complete a later send.</summary>
    public short Version => _core.Version;

    /// <summary>The tag a tell carries so its handler can find this source: version in bits 32 to 47, index below.</summary>
    public long Tag => ((long)(ushort)_core.Version << 32) | (uint)Index;

    /// <summary>The task the load engine waits on.</summary>
    public ValueTask<bool> Task => new(this, _core.Version);

    /// <summary>Completes the send whose tag carried <paramref name="version"/>; a stale version is ignored.</summary>
    public void Complete(short version, bool ok)
    {
        if (version == _core.Version)
        {
            _core.SetResult(ok);
        }
    }

    /// <summary>Completes this source when <paramref name="ask"/> does: with true when its reply carries <paramref name="expectedTag"/>.</summary>
    public ValueTask<bool> CompleteWhen(ValueTask<LoadAck> ask, long expectedTag)
    {
        ValueTask<bool> task = Task;
        _ask = ask;
        _expectedTag = expectedTag;

        // No execution context captured, and the ask's pooled source gets the cached delegate: nothing allocated.
        ask.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onAskCompleted);
        return task;
    }

    /// <summary>Reads a completed ask: true when it succeeded with the expected tag.</summary>
    public static bool Matches(ValueTask<LoadAck> ask, long expectedTag)
    {
        try
        {
            return ask.GetAwaiter().GetResult().Tag == expectedTag;
        }
#pragma warning disable CA1031 // a failed ask is a failed send, whatever it failed with
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    public bool GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _pool.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void OnAskCompleted()
    {
        ValueTask<LoadAck> ask = _ask;
        _ask = default;
        _core.SetResult(Matches(ask, _expectedTag));
    }
}
