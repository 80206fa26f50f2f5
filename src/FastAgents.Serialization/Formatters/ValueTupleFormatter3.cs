using System.Runtime.CompilerServices;

namespace FastAgents.Serialization.Formatters;

/// <summary>
/// <see cref="ValueTuple{T1, T2, T3}"/>. With no references inside: the struct's memory with padding cleared (the
/// runtime lays tuples out automatically, so items are where the runtime put them, as in a raw copy).
/// Otherwise: the items one after another, with no header.
/// </summary>
public sealed class ValueTupleFormatter<T1, T2, T3> : FastFormatter<ValueTuple<T1, T2, T3>>
{
    private static readonly int s_offset1 = OffsetOf1();
    private static readonly int s_offset2 = OffsetOf2();
    private static readonly int s_offset3 = OffsetOf3();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in ValueTuple<T1, T2, T3> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1, T2, T3>>())
        {
            int size = Unsafe.SizeOf<ValueTuple<T1, T2, T3>>();
            ref byte dst = ref writer.GetSpanReference(size);
            Unsafe.InitBlockUnaligned(ref dst, 0, (uint)size);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, s_offset1), value.Item1);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, s_offset2), value.Item2);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, s_offset3), value.Item3);
            writer.Advance(size);
            return;
        }

        writer.WriteValue(in value.Item1);
        writer.WriteValue(in value.Item2);
        writer.WriteValue(in value.Item3);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref FastMessageReader reader, scoped ref ValueTuple<T1, T2, T3> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1, T2, T3>>())
        {
            int size = Unsafe.SizeOf<ValueTuple<T1, T2, T3>>();
            value = Unsafe.ReadUnaligned<ValueTuple<T1, T2, T3>>(ref reader.GetSpanReference(size));
            reader.Advance(size);
            return;
        }

        reader.ReadValue(ref value.Item1!);
        reader.ReadValue(ref value.Item2!);
        reader.ReadValue(ref value.Item3!);
    }

    private static int OffsetOf1()
    {
        ValueTuple<T1, T2, T3> probe = default;
        return (int)Unsafe.ByteOffset(ref Unsafe.As<ValueTuple<T1, T2, T3>, byte>(ref probe), ref Unsafe.As<T1, byte>(ref probe.Item1));
    }

    private static int OffsetOf2()
    {
        ValueTuple<T1, T2, T3> probe = default;
        return (int)Unsafe.ByteOffset(ref Unsafe.As<ValueTuple<T1, T2, T3>, byte>(ref probe), ref Unsafe.As<T2, byte>(ref probe.Item2));
    }

    private static int OffsetOf3()
    {
        ValueTuple<T1, T2, T3> probe = default;
        return (int)Unsafe.ByteOffset(ref Unsafe.As<ValueTuple<T1, T2, T3>, byte>(ref probe), ref Unsafe.As<T3, byte>(ref probe.Item3));
    }
}
