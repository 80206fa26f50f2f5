using System.Buffers;
using System.Runtime.CompilerServices;
using FastAgents.Serialization.Internal;

namespace FastAgents.Serialization;

/// <summary>
/// Entry points, shaped like MemoryPack's <c>MemoryPackSerializer</c>: serialize into a buffer writer or a new
/// array, deserialize from a span or a sequence, or overwrite an existing instance in place.
/// </summary>
public static class FastSerializer
{
    private const int MaxRetainedBuffer = 1 << 20;

    // Reused by Serialize<T>(in T) so the only allocation is the returned array.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? s_buffer;

    static FastSerializer()
    {
        if (!BitConverter.IsLittleEndian)
        {
            ThrowHelper.ThrowLittleEndianOnly();
        }
    }

    /// <summary>Writes <paramref name="value"/> into <paramref name="bufferWriter"/>.</summary>
    /// <exception cref="FastSerializationException">The value (or a part of it) has no formatter, or nests too deep.</exception>
    public static void Serialize<T, TBufferWriter>(in TBufferWriter bufferWriter, in T? value, FastSerializerOptions? options = null)
        where TBufferWriter : IBufferWriter<byte>
    {
        var writer = new FastMessageWriter<TBufferWriter>(ref Unsafe.AsRef(in bufferWriter), options);
        writer.WriteValue(in value);
        writer.Flush();
    }

    /// <summary>Writes <paramref name="value"/> into a new array.</summary>
    /// <exception cref="FastSerializationException">The value (or a part of it) has no formatter, or nests too deep.</exception>
    public static byte[] Serialize<T>(in T? value, FastSerializerOptions? options = null)
    {
        ArrayBufferWriter<byte> buffer = s_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        try
        {
            Serialize(in buffer, in value, options);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > MaxRetainedBuffer)
            {
                s_buffer = null;
            }
        }
    }

    /// <summary>Reads a <typeparamref name="T"/> from the start of <paramref name="buffer"/>.</summary>
    /// <exception cref="FastSerializationException">The input is truncated or malformed.</exception>
    public static T? Deserialize<T>(ReadOnlySpan<byte> buffer, FastSerializerOptions? options = null)
    {
        T? value = default;
        Deserialize(buffer, ref value, options);
        return value;
    }

    /// <summary>
    /// Reads a <typeparamref name="T"/> from the start of <paramref name="buffer"/> into <paramref name="value"/>,
    /// overwriting an existing instance in place where the type allows it.
    /// </summary>
    /// <returns>The number of bytes read.</returns>
    /// <exception cref="FastSerializationException">The input is truncated or malformed.</exception>
    public static int Deserialize<T>(ReadOnlySpan<byte> buffer, scoped ref T? value, FastSerializerOptions? options = null)
    {
        // Reading accepts both string forms, so the options do not change how input is read.
        _ = options;
        var reader = new FastMessageReader(buffer);
        reader.ReadValue(ref value);
        return reader.Consumed;
    }

    /// <summary>Reads a <typeparamref name="T"/> from the start of <paramref name="buffer"/>.</summary>
    /// <remarks>A sequence of several segments is first copied into one pooled array.</remarks>
    /// <exception cref="FastSerializationException">The input is truncated or malformed.</exception>
    public static T? Deserialize<T>(in ReadOnlySequence<byte> buffer, FastSerializerOptions? options = null)
    {
        T? value = default;
        Deserialize(in buffer, ref value, options);
        return value;
    }

    /// <summary>
    /// Reads a <typeparamref name="T"/> from the start of <paramref name="buffer"/> into <paramref name="value"/>.
    /// </summary>
    /// <returns>The number of bytes read.</returns>
    /// <exception cref="FastSerializationException">The input is truncated or malformed.</exception>
    public static int Deserialize<T>(in ReadOnlySequence<byte> buffer, scoped ref T? value, FastSerializerOptions? options = null)
    {
        if (buffer.IsSingleSegment)
        {
            return Deserialize(buffer.FirstSpan, ref value, options);
        }

        // The sequence's length is the data actually present, not a length read from the input.
        int length = checked((int)buffer.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.CopyTo(rented);
            return Deserialize(rented.AsSpan(0, length), ref value, options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// True when <typeparamref name="T"/> is written as a plain copy of its <c>Unsafe.SizeOf&lt;T&gt;()</c> bytes of
    /// memory (primitives, enums, and unmanaged structs with no formatter of their own), so a caller may copy it
    /// directly and produce the same bytes as <see cref="Serialize{T, TBufferWriter}"/>. Reads the current
    /// registration each call (a registered formatter turns it false).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsRawCopy<T>() =>
        !RuntimeHelpers.IsReferenceOrContainsReferences<T>()
        && (FormatterCache<T>.IsRawCopy || FormatterCache<T>.s_formatter is Formatters.UnmanagedFormatter<T>);
}
