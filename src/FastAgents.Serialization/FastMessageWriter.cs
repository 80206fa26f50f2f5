using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using FastAgents.Serialization.Internal;

namespace FastAgents.Serialization;

/// <summary>
/// Writes the MemoryPack wire format straight into the spans handed out by an <see cref="IBufferWriter{T}"/>.
/// </summary>
/// <remarks>
/// Design: the writer keeps a reference to the current span's next byte and its remaining length, and
/// counts what it wrote without telling the buffer writer; <see cref="IBufferWriter{T}.Advance"/> is called
/// only when a new span is needed and in <see cref="Flush"/>. A value is therefore written with one bounds
/// check and no interface call on the fast path. Call <see cref="Flush"/> when done
/// (<see cref="FastSerializer"/> does). All multi-byte values are little-endian.
/// </remarks>
/// <typeparam name="TBufferWriter">The buffer writer; a struct type parameter lets the JIT devirtualize it.</typeparam>
public ref struct FastMessageWriter<TBufferWriter>
    where TBufferWriter : IBufferWriter<byte>
{
    /// <summary>The deepest nesting of objects and collections written before the writer assumes a cycle.</summary>
    public const int MaxDepth = 1000;

    private ref TBufferWriter _bufferWriter;
    private ref byte _buffer;
    private int _bufferLength;
    private int _advanced;
    private int _flushed;
    private int _depth;
    private readonly bool _utf16;

    /// <summary>Creates a writer over <paramref name="bufferWriter"/>.</summary>
    public FastMessageWriter(ref TBufferWriter bufferWriter, FastSerializerOptions? options = null)
    {
        _bufferWriter = ref bufferWriter;
        _buffer = ref Unsafe.NullRef<byte>();
        _utf16 = options is not null && options.StringEncoding == FastStringEncoding.Utf16;
    }

    /// <summary>
    /// Creates a writer that continues the nesting count of an outer writer, so a cycle is still caught
    /// when values are written into a scratch buffer first (version-tolerant objects).
    /// </summary>
    public FastMessageWriter(ref TBufferWriter bufferWriter, FastSerializerOptions? options, int depth)
        : this(ref bufferWriter, options)
    {
        _depth = depth;
    }

    /// <summary>The current nesting depth of objects and collections.</summary>
    public readonly int Depth => _depth;

    /// <summary>Bytes written so far, flushed or not.</summary>
    public readonly int WrittenCount => _flushed + _advanced;

    /// <summary>The options in effect.</summary>
    public readonly FastSerializerOptions Options => _utf16 ? FastSerializerOptions.Utf16 : FastSerializerOptions.Utf8;

    /// <summary>
    /// Returns a reference to at least <paramref name="sizeHint"/> writable bytes; follow with
    /// <see cref="Advance"/>. For formatters and generated code.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte GetSpanReference(int sizeHint)
    {
        if (_bufferLength < sizeHint)
        {
            return ref GetSpanReferenceSlow(sizeHint);
        }

        return ref _buffer;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref byte GetSpanReferenceSlow(int sizeHint)
    {
        if (_advanced != 0)
        {
            _bufferWriter.Advance(_advanced);
            _flushed += _advanced;
            _advanced = 0;
        }

        Span<byte> span = _bufferWriter.GetSpan(sizeHint);
        _buffer = ref MemoryMarshal.GetReference(span);
        _bufferLength = span.Length;
        return ref _buffer;
    }

    /// <summary>Marks <paramref name="count"/> bytes of the last span reference as written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count)
    {
        _buffer = ref Unsafe.Add(ref _buffer, count);
        _bufferLength -= count;
        _advanced += count;
    }

    /// <summary>Tells the buffer writer how much was written. The writer stays usable.</summary>
    public void Flush()
    {
        if (_advanced != 0)
        {
            _bufferWriter.Advance(_advanced);
            _flushed += _advanced;
            _advanced = 0;
        }

        _buffer = ref Unsafe.NullRef<byte>();
        _bufferLength = 0;
    }

    /// <summary>Writes the object header: the member count (0 to 249).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteObjectHeader(byte memberCount)
    {
        if (memberCount >= WireCode.Reserved)
        {
            ThrowHelper.ThrowTooManyMembersToWrite(memberCount);
        }

        GetSpanReference(1) = memberCount;
        Advance(1);
    }

    /// <summary>Writes the null object header (255).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullObjectHeader()
    {
        GetSpanReference(1) = WireCode.NullObject;
        Advance(1);
    }

    /// <summary>Writes a collection length (int32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteCollectionHeader(int length) => WriteUnmanaged(length);

    /// <summary>Writes the null collection header (int32 -1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullCollectionHeader() => WriteUnmanaged(WireCode.NullCollection);

    /// <summary>Writes a union tag: one byte below 250, else 250 followed by a ushort.</summary>
    public void WriteUnionHeader(ushort tag)
    {
        if (tag < WireCode.WideTag)
        {
            GetSpanReference(1) = (byte)tag;
            Advance(1);
        }
        else
        {
            ref byte dst = ref GetSpanReference(3);
            dst = WireCode.WideTag;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, 1), tag);
            Advance(3);
        }
    }

    /// <summary>Writes an unmanaged value as a raw little-endian copy of its memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T>(scoped in T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        Unsafe.WriteUnaligned(ref GetSpanReference(size), value);
        Advance(size);
    }

    /// <summary>Writes bytes as they are, with no header.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return;
        }

        ref byte dst = ref GetSpanReference(bytes.Length);
        Unsafe.CopyBlockUnaligned(ref dst, ref MemoryMarshal.GetReference(bytes), (uint)bytes.Length);
        Advance(bytes.Length);
    }

    /// <summary>Writes an array of unmanaged values: the length, then the elements' memory; null is -1.</summary>
    public void WriteUnmanagedArray<T>(T[]? array)
        where T : unmanaged
    {
        if (array is null)
        {
            WriteNullCollectionHeader();
            return;
        }

        WriteUnmanagedSpan<T>(array);
    }

    /// <summary>Writes a span of unmanaged values: the length, then the elements' memory.</summary>
    public void WriteUnmanagedSpan<T>(scoped ReadOnlySpan<T> values)
        where T : unmanaged
    {
        int byteCount = checked(values.Length * Unsafe.SizeOf<T>());
        ref byte dst = ref GetSpanReference(byteCount + 4);
        Unsafe.WriteUnaligned(ref dst, values.Length);
        if (byteCount != 0)
        {
            Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref dst, 4), ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)), (uint)byteCount);
        }

        Advance(byteCount + 4);
    }

    /// <summary>Writes a string in the form chosen by the options; null is int32 -1, empty is int32 0.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNullCollectionHeader();
        }
        else if (value.Length == 0)
        {
            WriteUnmanaged(0);
        }
        else if (_utf16)
        {
            WriteUtf16(value);
        }
        else
        {
            WriteUtf8(value);
        }
    }

    private void WriteUtf8(string value)
    {
        // Each UTF-16 unit becomes at most 3 bytes (a surrogate pair is 2 units and 4 bytes), so this bound
        // lets the encoder write in place with no counting pass.
        int max = checked((value.Length * 3) + 8);
        ref byte dst = ref GetSpanReference(max);
        ref byte destination = ref Unsafe.Add(ref dst, 8);

        // Most strings on the wire are short and ASCII; the narrowing copy stops at the first non-ASCII char
        // and the transcoder takes over from there. Lone surrogates become U+FFFD, as Encoding.UTF8 (and
        // MemoryPack) write them.
        int written = AsciiNarrow.Copy(ref MemoryMarshal.GetReference(value.AsSpan()), ref destination, value.Length);
        if (written != value.Length)
        {
            Utf8.FromUtf16(value.AsSpan(written), MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, written), max - 8 - written), out _, out int rest);
            written += rest;
        }
        Unsafe.WriteUnaligned(ref dst, ~written);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, 4), value.Length);
        Advance(written + 8);
    }

    private void WriteUtf16(string value)
    {
        int byteCount = checked(value.Length * 2);
        ref byte dst = ref GetSpanReference(byteCount + 4);
        Unsafe.WriteUnaligned(ref dst, value.Length);
        Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref dst, 4), ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(value.AsSpan())), (uint)byteCount);
        Advance(byteCount + 4);
    }

    /// <summary>
    /// Writes a signed integer as MemoryPack's varint: values -120..127 in one byte, otherwise a type code
    /// byte (-121 byte, -122 sbyte, -123 ushort, -124 short, -125 uint, -126 int, -127 ulong, -128 long)
    /// followed by the value.
    /// </summary>
    public void WriteVarInt(long value)
    {
        if (value >= WireCode.VarIntMinSingle && value <= sbyte.MaxValue)
        {
            WriteUnmanaged((sbyte)value);
        }
        else if (value >= 0)
        {
            if (value <= byte.MaxValue)
            {
                WriteCoded(WireCode.VarIntByte, (byte)value);
            }
            else if (value <= ushort.MaxValue)
            {
                WriteCoded(WireCode.VarIntUInt16, (ushort)value);
            }
            else if (value <= uint.MaxValue)
            {
                WriteCoded(WireCode.VarIntUInt32, (uint)value);
            }
            else
            {
                WriteCoded(WireCode.VarIntInt64, value);
            }
        }
        else if (value >= sbyte.MinValue)
        {
            WriteCoded(WireCode.VarIntSByte, (sbyte)value);
        }
        else if (value >= short.MinValue)
        {
            WriteCoded(WireCode.VarIntInt16, (short)value);
        }
        else if (value >= int.MinValue)
        {
            WriteCoded(WireCode.VarIntInt32, (int)value);
        }
        else
        {
            WriteCoded(WireCode.VarIntInt64, value);
        }
    }

    private void WriteCoded<T>(sbyte code, T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>() + 1;
        ref byte dst = ref GetSpanReference(size);
        dst = (byte)code;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, 1), value);
        Advance(size);
    }

    /// <summary>
    /// Writes any supported value through its formatter; primitives, enums and strings skip the lookup.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteValue<T>(scoped in T? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>() && FormatterCache<T>.IsRawCopy)
        {
            int size = Unsafe.SizeOf<T>();
            Unsafe.WriteUnaligned(ref GetSpanReference(size), value);
            Advance(size);
        }
        else if (typeof(T) == typeof(string))
        {
            WriteString(Unsafe.As<T?, string?>(ref Unsafe.AsRef(in value)));
        }
        else
        {
            WriteWithFormatter(in value);
        }
    }

    private void WriteWithFormatter<T>(scoped in T? value)
    {
        // The depth cap stops cycles and hostile nesting; the stack probe (every 64 levels) also covers
        // threads with small stacks.
        if (++_depth > MaxDepth || ((_depth & 63) == 0 && !RuntimeHelpers.TryEnsureSufficientExecutionStack()))
        {
            ThrowHelper.ThrowDepthExceeded(WrittenCount, MaxDepth);
        }

        FastFormatter<T>? formatter = FormatterCache<T>.s_formatter;
        if (formatter is null)
        {
            ThrowHelper.ThrowNoFormatter(typeof(T));
        }

        SerializeCache<T, TBufferWriter>.Binding? binding = SerializeCache<T, TBufferWriter>.s_binding;
        SerializeMethod<T, TBufferWriter> method = binding is not null && ReferenceEquals(binding.Formatter, formatter)
            ? binding.Method
            : SerializeCache<T, TBufferWriter>.Bind(formatter);
        method(ref this, in value);
        _depth--;
    }
}
