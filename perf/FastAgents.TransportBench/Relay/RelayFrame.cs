namespace FastAgents.TransportBench.Relay;

/// <summary>
/// The relay roles' wire format. After a one-byte hello (<see cref="ReceiverHello"/> or <see cref="SenderHello"/>), the
/// sender writes 64-byte frames, <see cref="FramesPerBuffer"/> of them per <see cref="BufferSize"/> write:
/// <code>
///  0              4                      12                     20                                  64
///  +--------------+----------------------+----------------------+-----------------------------------+
///  | length (i32) | sequence (i64)       | timestamp (i64)      | filler (44 bytes)                 |
///  +--------------+----------------------+----------------------+-----------------------------------+
/// </code>
/// Little-endian. <c>length</c> counts the whole frame, prefix included (64). <c>sequence</c> starts at 0 and rises by
/// one per frame; <c>timestamp</c> is the sender's <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when it
/// filled the buffer. The middle does not parse frames: it copies bytes.
/// </summary>
internal static class RelayFrame
{
    public const int FrameLength = 64;
    public const int LengthOffset = 0;
    public const int SequenceOffset = 4;
    public const int TimestampOffset = 12;

    /// <summary>Smallest length a receiver accepts: the prefix, the sequence and the timestamp.</summary>
    public const int MinimumLength = 20;

    /// <summary>One read or write on every hop: large enough that system calls, not copies, stay the minority of the cost.</summary>
    public const int BufferSize = 64 * 1024;

    public const int FramesPerBuffer = BufferSize / FrameLength;

    public const byte ReceiverHello = (byte)'R';
    public const byte SenderHello = (byte)'S';
}
