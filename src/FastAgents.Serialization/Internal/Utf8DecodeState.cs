using System.Buffers;

namespace FastAgents.Serialization.Internal;

/// <summary>
/// Carries the UTF-8 input into <see cref="string.Create{TState}(int, TState, System.Buffers.SpanAction{char, TState})"/>
/// and the decoder's result back out, so a string is decoded in one pass with no intermediate buffer.
/// </summary>
internal readonly ref struct Utf8DecodeState
{
    public readonly ReadOnlySpan<byte> Bytes;
    public readonly ref OperationStatus Status;
    public readonly ref int Written;

    public Utf8DecodeState(ReadOnlySpan<byte> bytes, ref OperationStatus status, ref int written)
    {
        Bytes = bytes;
        Status = ref status;
        Written = ref written;
    }
}
