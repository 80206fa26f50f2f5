namespace FastAgents.Serialization;

/// <summary>
/// The one exception the serializer throws for input it cannot read (truncated, malformed, out of range,
/// invalid UTF-8, unknown union tag, too many members) and for values it cannot write (no formatter,
/// nesting too deep). The message says what was wrong and at which byte offset.
/// </summary>
public sealed class FastSerializationException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public FastSerializationException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public FastSerializationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public FastSerializationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
