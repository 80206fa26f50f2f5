using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using FastAgents.Serialization.Internal;

namespace FastAgents.Serialization;

/// <summary>
/// Reads the MemoryPack wire format from a span. Every read checks the bytes left first and fails with
/// <see cref="FastSerializationException"/> naming the offset; lengths read from the input are checked
/// against the bytes left before anything is allocated for them.
/// </summary>
public ref struct FastMessageReader
{
    /// <summary>The deepest nesting of objects and collections read before the input is rejected.</summary>
    public const int MaxDepth = 1000;

    private ref byte _head;
    private int _remaining;
    private int _consumed;
    private int _depth;

    /// <summary>Creates a reader over <paramref name="buffer"/>.</summary>
    public FastMessageReader(ReadOnlySpan<byte> buffer)
    {
        _head = ref MemoryMarshal.GetReference(buffer);
        _remaining = buffer.Length;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Consumed => _consumed;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _remaining;

    /// <summary>
    /// Returns a reference to the next <paramref name="size"/> bytes, throwing if fewer are left; follow
    /// with <see cref="Advance"/>. For formatters and generated code.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref byte GetSpanReference(int size)
    {
        if ((uint)size > (uint)_remaining)
        {
            ThrowHelper.ThrowTruncated(_consumed, size, _remaining);
        }

        return ref _head;
    }

    /// <summary>Moves past <paramref name="count"/> bytes already checked by <see cref="GetSpanReference"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count)
    {
        _head = ref Unsafe.Add(ref _head, count);
        _remaining -= count;
        _consumed += count;
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public void Skip(int count)
    {
        GetSpanReference(count);
        Advance(count);
    }

    /// <summary>Reads an unmanaged value as a raw copy of its memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadUnmanaged<T>()
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        T value = Unsafe.ReadUnaligned<T>(ref GetSpanReference(size));
        Advance(size);
        return value;
    }

    /// <summary>
    /// Reads an object header. Returns false for null (255); throws for the reserved values 250-254.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadObjectHeader(out byte memberCount)
    {
        memberCount = GetSpanReference(1);
        Advance(1);
        if (memberCount < WireCode.Reserved)
        {
            return true;
        }

        if (memberCount == WireCode.NullObject)
        {
            return false;
        }

        ThrowHelper.ThrowReservedHeader(_consumed - 1, memberCount);
        return false;
    }

    /// <summary>
    /// Reads a collection length. Returns false for null (-1). Throws for other negative lengths and for a
    /// length that cannot fit in the bytes left at <paramref name="minElementSize"/> bytes per element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadCollectionHeader(out int length, int minElementSize = 1)
    {
        length = ReadUnmanaged<int>();
        if (length < 0)
        {
            if (length == WireCode.NullCollection)
            {
                return false;
            }

            ThrowHelper.ThrowInvalidLength(_consumed - 4, length, "collection");
        }

        if ((long)length * minElementSize > _remaining)
        {
            ThrowHelper.ThrowLengthExceedsInput(_consumed - 4, length, (long)length * minElementSize, _remaining, "collection");
        }

        return true;
    }

    /// <summary>Reads a union header. Returns false for null (255); throws for 251-254.</summary>
    public bool TryReadUnionHeader(out ushort tag)
    {
        byte first = ReadUnmanaged<byte>();
        if (first < WireCode.WideTag)
        {
            tag = first;
            return true;
        }

        if (first == WireCode.WideTag)
        {
            tag = ReadUnmanaged<ushort>();
            return true;
        }

        if (first == WireCode.NullObject)
        {
            tag = 0;
            return false;
        }

        ThrowHelper.ThrowReservedHeader(_consumed - 1, first);
        tag = 0;
        return false;
    }

    /// <summary>Reads a varint written by <see cref="FastMessageWriter{TBufferWriter}.WriteVarInt"/>.</summary>
    public long ReadVarInt()
    {
        sbyte code = ReadUnmanaged<sbyte>();
        return code switch
        {
            WireCode.VarIntByte => ReadUnmanaged<byte>(),
            WireCode.VarIntSByte => ReadUnmanaged<sbyte>(),
            WireCode.VarIntUInt16 => ReadUnmanaged<ushort>(),
            WireCode.VarIntInt16 => ReadUnmanaged<short>(),
            WireCode.VarIntUInt32 => ReadUnmanaged<uint>(),
            WireCode.VarIntInt32 => ReadUnmanaged<int>(),
            WireCode.VarIntUInt64 => ReadUInt64AsInt64(),
            WireCode.VarIntInt64 => ReadUnmanaged<long>(),
            _ => code,
        };
    }

    private long ReadUInt64AsInt64()
    {
        ulong value = ReadUnmanaged<ulong>();
        if (value > long.MaxValue)
        {
            ThrowHelper.ThrowInvalidVarInt(_consumed - 8, (long)value);
        }

        return (long)value;
    }

    /// <summary>Reads a varint that must be a length: 0 to <see cref="int.MaxValue"/>.</summary>
    public int ReadVarIntLength()
    {
        int start = _consumed;
        long value = ReadVarInt();
        if ((ulong)value > int.MaxValue)
        {
            ThrowHelper.ThrowInvalidVarInt(start, value);
        }

        return (int)value;
    }

    /// <summary>Reads a string in either form (UTF-8 or UTF-16); null for -1.</summary>
    public string? ReadString()
    {
        string? value = null;
        ReadString(ref value);
        return value;
    }

    /// <summary>
    /// Reads a string in either form into <paramref name="value"/>, keeping the existing instance when its
    /// content is equal (no allocation when overwriting a message whose string did not change).
    /// </summary>
    public void ReadString(scoped ref string? value)
    {
        int start = _consumed;
        int first = ReadUnmanaged<int>();
        if (first > 0)
        {
            ReadUtf16(ref value, first, start);
        }
        else if (first == 0)
        {
            value = string.Empty;
        }
        else if (first == WireCode.NullCollection)
        {
            value = null;
        }
        else
        {
            ReadUtf8(ref value, ~first, start);
        }
    }

    private void ReadUtf16(scoped ref string? value, int charCount, int start)
    {
        long byteCount = (long)charCount * 2;
        if (byteCount > _remaining)
        {
            ThrowHelper.ThrowLengthExceedsInput(start, charCount, byteCount, _remaining, "UTF-16 string");
        }

        ReadOnlySpan<char> chars = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, char>(ref _head), charCount);
        if (value is null || !chars.SequenceEqual(value))
        {
            value = new string(chars);
        }

        Advance((int)byteCount);
    }

    private void ReadUtf8(scoped ref string? value, int byteCount, int start)
    {
        int charCount = ReadUnmanaged<int>();
        if (byteCount > _remaining)
        {
            ThrowHelper.ThrowLengthExceedsInput(start, byteCount, byteCount, _remaining, "UTF-8 string");
        }

        // Valid UTF-8 takes 1 to 3 bytes per UTF-16 unit, so anything outside that range is malformed.
        if (charCount <= 0 || charCount > byteCount || byteCount > (long)charCount * 3)
        {
            ThrowHelper.ThrowStringLengthMismatch(start, charCount, -1);
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.CreateReadOnlySpan(ref _head, byteCount);
        if (value is not null && value.Length == charCount && byteCount == charCount && Ascii.Equals(bytes, value))
        {
            Advance(byteCount);
            return;
        }

        // One pass: decode straight into the new string, validating as it goes. The string's size is bounded
        // by the bytes left (checked above), so hostile input cannot make it large.
        OperationStatus status = OperationStatus.Done;
        int written = 0;
        string decoded = string.Create(charCount, new Utf8DecodeState(bytes, ref status, ref written), static (chars, state) =>
        {
            state.Status = Utf8.ToUtf16(state.Bytes, chars, out _, out state.Written, replaceInvalidSequences: false);
        });

        if (status != OperationStatus.Done)
        {
            if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData)
            {
                ThrowHelper.ThrowInvalidUtf8(start);
            }

            ThrowHelper.ThrowStringLengthMismatch(start, charCount, -1);
        }

        if (written != charCount)
        {
            ThrowHelper.ThrowStringLengthMismatch(start, charCount, written);
        }

        value = decoded;
        Advance(byteCount);
    }

    /// <summary>Reads an array of unmanaged values written as length + memory; null for -1.</summary>
    public T[]? ReadUnmanagedArray<T>()
        where T : unmanaged
    {
        T[]? value = null;
        ReadUnmanagedArray(ref value);
        return value;
    }

    /// <summary>
    /// Reads an array of unmanaged values into <paramref name="value"/>, reusing the existing array when its
    /// length matches.
    /// </summary>
    public void ReadUnmanagedArray<T>(scoped ref T[]? value)
        where T : unmanaged
    {
        if (!TryReadCollectionHeader(out int length, Unsafe.SizeOf<T>()))
        {
            value = null;
            return;
        }

        if (length == 0)
        {
            value = [];
            return;
        }

        if (value is null || value.Length != length)
        {
            value = GC.AllocateUninitializedArray<T>(length);
        }

        int byteCount = length * Unsafe.SizeOf<T>();
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(value)), ref _head, (uint)byteCount);
        Advance(byteCount);
    }

    /// <summary>Reads any supported value through its formatter into <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadValue<T>(scoped ref T? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>() && FormatterCache<T>.IsRawCopy)
        {
            int size = Unsafe.SizeOf<T>();
            value = Unsafe.ReadUnaligned<T>(ref GetSpanReference(size));
            Advance(size);
        }
        else if (typeof(T) == typeof(string))
        {
            ReadString(ref Unsafe.As<T?, string?>(ref value));
        }
        else
        {
            ReadWithFormatter(ref value);
        }
    }

    /// <summary>Reads any supported value through its formatter.</summary>
    public T? ReadValue<T>()
    {
        T? value = default;
        ReadValue(ref value);
        return value;
    }

    private void ReadWithFormatter<T>(scoped ref T? value)
    {
        // The depth cap stops cycles and hostile nesting; the stack probe (every 64 levels) also covers
        // threads with small stacks.
        if (++_depth > MaxDepth || ((_depth & 63) == 0 && !RuntimeHelpers.TryEnsureSufficientExecutionStack()))
        {
            ThrowHelper.ThrowDepthExceeded(_consumed, MaxDepth);
        }

        FastFormatter<T>? formatter = FormatterCache<T>.s_formatter;
        if (formatter is null)
        {
            ThrowHelper.ThrowNoFormatter(typeof(T));
        }

        formatter.Deserialize(ref this, ref value);
        _depth--;
    }

    /// <summary>Throws the error for an object with more members than its type (for generated code).</summary>
    public readonly void ThrowTooManyMembers(int memberCount, int typeMemberCount, Type type) =>
        ThrowHelper.ThrowTooManyMembers(_consumed - 1, memberCount, typeMemberCount, type);

    /// <summary>Throws the error for a union tag with no case (for generated code).</summary>
    public readonly void ThrowUnknownUnionTag(int tag, Type unionType) =>
        ThrowHelper.ThrowUnknownUnionTag(_consumed, tag, unionType);

    /// <summary>Throws the error for a version-tolerant member whose value did not match its declared length.</summary>
    public readonly void ThrowMemberLengthMismatch(int member, int declared, int actual, Type type) =>
        ThrowHelper.ThrowMemberLengthMismatch(_consumed, member, declared, actual, type);
}
