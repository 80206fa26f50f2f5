namespace FastAgents.Cli.Load;

/// <summary>How a payload size is sent: which message type, and where it travels.</summary>
internal static class PayloadSizes
{
    /// <summary>Payload bytes that fit in a ring slot beside the 56-byte header (a 128-byte slot).</summary>
    public const int InlineLimit = 72;

    /// <summary>Largest size sent as a struct.</summary>
    public const int MaxStruct = 4096;

    /// <summary>True when <paramref name="bytes"/> is sent as an unmanaged struct (8, 16, 32, ..., 4096).</summary>
    public static bool IsStruct(int bytes) => bytes is >= 8 and <= MaxStruct && (bytes & (bytes - 1)) == 0;

    /// <summary>A short description such as <c>64 B struct payload (in the ring slot)</c>, or null for a size that cannot be made.</summary>
    public static string? Describe(int bytes)
    {
        if (IsStruct(bytes))
        {
            return bytes <= InlineLimit
                ? $"{bytes} B struct payload (in the ring slot)"
                : $"{bytes} B struct payload (pooled buffer)";
        }

        if (bytes is >= BytesMessage.Overhead and <= LoadSettings.MaxPayloadBytes)
        {
            return $"{bytes} B byte-array payload ({bytes - BytesMessage.Overhead} B array)";
        }

        return null;
    }
}
