using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastAgents.Serialization.Formatters;

/// <summary>
/// <see cref="List{T}"/>: the same bytes as an array (<c>[count : int32][element × count]</c>, null as -1).
/// Reading into an existing list clears and refills it.
/// </summary>
public sealed class ListFormatter<T> : FastFormatter<List<T>>
{
    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in List<T>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        ReadOnlySpan<T> items = CollectionsMarshal.AsSpan(value);
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>() && Internal.FormatterCache<T>.IsRawCopy)
        {
            int byteCount = checked(items.Length * Unsafe.SizeOf<T>());
            ref byte dst = ref writer.GetSpanReference(byteCount + 4);
            Unsafe.WriteUnaligned(ref dst, items.Length);
            if (byteCount != 0)
            {
                Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref dst, 4), ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(items)), (uint)byteCount);
            }

            writer.Advance(byteCount + 4);
            return;
        }

        writer.WriteCollectionHeader(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            writer.WriteValue(in items[i]);
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref FastMessageReader reader, scoped ref List<T>? value)
    {
        bool raw = !RuntimeHelpers.IsReferenceOrContainsReferences<T>() && Internal.FormatterCache<T>.IsRawCopy;
        if (!reader.TryReadCollectionHeader(out int length, raw ? Unsafe.SizeOf<T>() : 1))
        {
            value = null;
            return;
        }

        if (value is null)
        {
            value = new List<T>(length);
        }
        else
        {
            value.Clear();
        }

        if (raw)
        {
            CollectionsMarshal.SetCount(value, length);
            int byteCount = length * Unsafe.SizeOf<T>();
            if (byteCount != 0)
            {
                Span<T> items = CollectionsMarshal.AsSpan(value);
                Unsafe.CopyBlockUnaligned(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(items)), ref reader.GetSpanReference(byteCount), (uint)byteCount);
                reader.Advance(byteCount);
            }

            return;
        }

        for (int i = 0; i < length; i++)
        {
            T? item = default;
            reader.ReadValue(ref item);
            value.Add(item!);
        }
    }
}
