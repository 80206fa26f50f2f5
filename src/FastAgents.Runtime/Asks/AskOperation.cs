using System.Threading.Tasks.Sources;
using FastAgents.Serialization;

namespace FastAgents.Runtime.Internal;

/// <summary>A pending ask, as the ask table sees it.</summary>
internal abstract class AskOperation
{
    public abstract Type ReplyType { get; }

    public abstract void SetException(Exception exception);

    /// <summary>Completes the ask from a reply's payload bytes (a reply that crossed a process boundary).</summary>
    public abstract void SetResultFromPayload(ReadOnlySpan<byte> payload);
}

/// <summary>
/// The pooled completion source behind the <see cref="ValueTask{TResult}"/> of an ask: taken from a per-type
/// pool, completed once (by the reply, the timeout, or a failure), returned to the pool when the awaiter reads
/// the result.
/// </summary>
internal sealed class AskOperation<TReply> : AskOperation, IValueTaskSource<TReply>
{
    private static readonly Lock s_poolLock = new();
    private static readonly Stack<AskOperation<TReply>> s_pool = new();
    private const int MaxPooled = 4096;

    // Asks from one thread (the usual await loop) reuse one operation with no lock at all.
    [ThreadStatic]
    private static AskOperation<TReply>? s_threadCached;

    private ManualResetValueTaskSourceCore<TReply> _core;

    public override Type ReplyType => typeof(TReply);

    public short Version => _core.Version;

    public static AskOperation<TReply> Rent(bool runContinuationsAsynchronously)
    {
        AskOperation<TReply>? op = s_threadCached;
        if (op is not null)
        {
            s_threadCached = null;
        }
        else
        {
            lock (s_poolLock)
            {
                s_pool.TryPop(out op);
            }
        }

        op ??= new AskOperation<TReply>();
        op._core.RunContinuationsAsynchronously = runContinuationsAsynchronously;
        return op;
    }

    public void SetResult(in TReply value) => _core.SetResult(value);

    public override void SetResultFromPayload(ReadOnlySpan<byte> payload)
    {
        TReply? value = default;
        try
        {
            FastSerializer.Deserialize(payload, ref value);
        }
#pragma warning disable CA1031 // A malformed reply fails the ask; it must not escape into the transport.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _core.SetException(ex);
            return;
        }

        _core.SetResult(value!);
    }

    public override void SetException(Exception exception) => _core.SetException(exception);

    public TReply GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            if (s_threadCached is null)
            {
                s_threadCached = this;
            }
            else
            {
                lock (s_poolLock)
                {
                    if (s_pool.Count < MaxPooled)
                    {
                        s_pool.Push(this);
                    }
                }
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
