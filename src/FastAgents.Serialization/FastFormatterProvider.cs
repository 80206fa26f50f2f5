using FastAgents.Serialization.Internal;

namespace FastAgents.Serialization;

/// <summary>
/// Where formatters live. Generated formatters register themselves when their assembly loads; register a
/// hand-written one for any other type before its first use.
/// </summary>
public static class FastFormatterProvider
{
    /// <summary>Registers (or replaces) the formatter for <typeparamref name="T"/>.</summary>
    public static void Register<T>(FastFormatter<T> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        FormatterCache<T>.s_formatter = formatter;
    }

    /// <summary>Registers <paramref name="formatter"/> unless <typeparamref name="T"/> already has one.</summary>
    public static void TryRegister<T>(FastFormatter<T> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        FormatterCache<T>.s_formatter ??= formatter;
    }

    /// <summary>True when <typeparamref name="T"/> has a formatter.</summary>
    public static bool IsRegistered<T>() => FormatterCache<T>.s_formatter is not null;

    /// <summary>Returns the formatter for <typeparamref name="T"/>.</summary>
    /// <exception cref="FastSerializationException">No formatter is registered.</exception>
    public static FastFormatter<T> GetFormatter<T>() => FormatterCache<T>.s_formatter ?? throw ThrowHelper.NoFormatter(typeof(T));
}
