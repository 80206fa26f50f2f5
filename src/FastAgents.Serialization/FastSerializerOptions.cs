namespace FastAgents.Serialization;

/// <summary>Options that change how values are written. Instances are immutable and shared.</summary>
public sealed class FastSerializerOptions
{
    private FastSerializerOptions(FastStringEncoding stringEncoding) => StringEncoding = stringEncoding;

    /// <summary>Strings in the UTF-8 form (the default, as in MemoryPack).</summary>
    public static FastSerializerOptions Utf8 { get; } = new(FastStringEncoding.Utf8);

    /// <summary>Strings in the UTF-16 form.</summary>
    public static FastSerializerOptions Utf16 { get; } = new(FastStringEncoding.Utf16);

    /// <summary>The string form written by the serializer.</summary>
    public FastStringEncoding StringEncoding { get; }
}
