using System.Diagnostics.CodeAnalysis;

namespace FastAgents.Rings.Internal;

/// <summary>Throw sites kept out of hot methods so those stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowBufferSizeNotPowerOfTwo(int bufferSize) =>
        throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "The buffer size must be a power of two between 1 and 2^30.");

    [DoesNotReturn]
    public static void ThrowBatchSizeOutOfRange(int n, int bufferSize) =>
        throw new ArgumentOutOfRangeException(nameof(n), n, $"A claim must be between 1 and the buffer size ({bufferSize}) slots.");

    [DoesNotReturn]
    public static void ThrowAlreadyRunning() =>
        throw new InvalidOperationException("The consumer is already running; a consumer runs on one thread at a time.");

    [DoesNotReturn]
    public static void ThrowPublishOutOfOrder(long lo, long hi) =>
        throw new ArgumentOutOfRangeException(nameof(hi), $"Publish range [{lo}, {hi}] is empty or reversed.");
}
