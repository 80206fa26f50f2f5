using System.Diagnostics.CodeAnalysis;

namespace FastAgents.Runtime.Internal;

/// <summary>Throw sites kept out of hot methods.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowPayloadTooLarge(long required, int max) =>
        throw new InvalidOperationException($"The payload needs at least {required} bytes; the limit is {max} bytes.");

    [DoesNotReturn]
    public static void ThrowAdvancedPastBuffer(int count, int available) =>
        throw new InvalidOperationException($"Advance({count}) goes past the {available} bytes the writer handed out.");
}
