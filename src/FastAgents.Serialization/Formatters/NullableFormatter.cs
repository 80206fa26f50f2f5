using System.Runtime.CompilerServices;

namespace FastAgents.Serialization.Formatters;

/// <summary>
/// <see cref="Nullable{T}"/>. With an unmanaged <typeparamref name="T"/>: the struct's memory,
/// <c>[hasValue : 1][padding : 0][value]</c>, with padding cleared (null is all zero bytes). Otherwise:
/// header 255 for null, or header 1 and the value.
/// </summary>
public sealed class NullableFormatter<T> : FastFormatter<T?>
    where T : struct
{
    // The value follows the bool at its own alignment, which is sizeof(T?) - sizeof(T).
    private static readonly int s_valueOffset = Unsafe.SizeOf<T?>() - Unsafe.SizeOf<T>();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in T? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            int size = Unsafe.SizeOf<T?>();
            ref byte dst = ref writer.GetSpanReference(size);
            Unsafe.InitBlockUnaligned(ref dst, 0, (uint)size);
            if (value.HasValue)
            {
                dst = 1;
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, s_valueOffset), value.GetValueOrDefault());
            }

            writer.Advance(size);
            return;
        }

        if (!value.HasValue)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(1);
        T inner = value.GetValueOrDefault();
        writer.WriteValue(in inner);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref FastMessageReader reader, scoped ref T? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            int size = Unsafe.SizeOf<T?>();
            ref byte src = ref reader.GetSpanReference(size);
            value = src != 0 ? Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref src, s_valueOffset)) : null;
            reader.Advance(size);
            return;
        }

        if (!reader.TryReadObjectHeader(out byte count))
        {
            value = null;
            return;
        }

        if (count != 1)
        {
            reader.ThrowTooManyMembers(count, 1, typeof(T?));
        }

        T inner = value.GetValueOrDefault();
        reader.ReadValue(ref inner);
        value = inner;
    }
}
