using System.Threading.Tasks.Sources;
using FastAgents.Serialization;

namespace FastAgents.Runtime.Internal;

/// <summary>A pending ask, as the ask table sees it.</summary>
internal abstract class AskOperation
{
    public abstract Type ReplyType { get; }

    /// <summary>The payload type id a reply must carry.</summary>
    public abstract uint ReplyTypeId { get; }

    public abstract void SetException(Exception exception);

    /// <summary>Completes the ask from a reply's payload bytes (a reply that crossed a process boundary).</summary>
    public abstract void SetResultFromPayload(ReadOnlySpan<byte> payload);
}

/// <summary>
/// The completion source behind the <see cref="ValueTask{TResult}"/> of an ask. Each belongs to one entry of the
/// ask table and is reused by the next ask that takes that entry with the same reply type; the entry returns to
/// the table's free list only once the awaiter has read the result, so a source is never reused under an
/// awaiter. An ask's task must be awaited (once): an ask never awaited keeps its entry.
/// </summary>
internal sealed class AskOperation<TReply>(AskTable table, int index) : AskOperation, IValueTaskSource<TReply>
{
    private ManualResetValueTaskSourceCore<TReply> _core;

    public override Type ReplyType => typeof(TReply);

    public override uint ReplyTypeId => MessageType<TReply>.Id;

    public short Version => _core.Version;

    public int Index => index;

    public bool RunContinuationsAsynchronously
    {
        set => _core.RunContinuationsAsynchronously = value;
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
            table.Release(index);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
