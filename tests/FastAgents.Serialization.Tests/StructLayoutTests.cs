using System.Buffers;
using System.Runtime.CompilerServices;

namespace FastAgents.Serialization.Tests;

/// <summary>Padding of unmanaged structs is written as zero, whatever the value's memory held.</summary>
public sealed class StructLayoutTests
{
    private static T Dirty<T>()
        where T : unmanaged
    {
        T value = default;
        Unsafe.InitBlockUnaligned(ref Unsafe.As<T, byte>(ref value), 0xCD, (uint)Unsafe.SizeOf<T>());
        return value;
    }

    [Fact]
    public void Serialize_AutoPropertyStructWithDirtyPadding_PaddingCleared()
    {
        AutoPropertyStruct value = Dirty<AutoPropertyStruct>();
        value.Flag = true;
        value.Value = 0x0102030405060708;
        value = value with { Small = 0x0A0B };

        Assert.Equal(24, Unsafe.SizeOf<AutoPropertyStruct>());
        Assert.Equal(
            "01000000000000000807060504030201" + "0B0A000000000000",
            Hex.Of(FastSerializer.Serialize(value)));
    }

    [Fact]
    public void Serialize_NullableWithDirtyMemory_PaddingCleared()
    {
        long? value = 5;
        Assert.Equal("01000000000000000500000000000000", Hex.Of(FastSerializer.Serialize(value)));
    }

    [Fact]
    public void Serialize_StructBufferWriter_SameBytesAsClassWriter()
    {
        var value = new AllShapes { Text = "s", Ints = [1], Shape = new Circle { Radius = 1 } };
        var writer = new SpanBufferWriter(new byte[4096]);
        FastSerializer.Serialize(writer, value);
        Assert.Equal(FastSerializer.Serialize(value), writer.Written.ToArray());
    }

    [Fact]
    public void RoundTrip_NullableOfStructWithReferences_HeaderForm()
    {
        RecordStructWithRefs? value = new RecordStructWithRefs(3, "x");
        byte[] bytes = FastSerializer.Serialize(value);
        Assert.Equal("01" + "02" + "03000000" + "FEFFFFFF0100000078", Hex.Of(bytes));
        Assert.Equal(value, FastSerializer.Deserialize<RecordStructWithRefs?>(bytes));
        Assert.Equal("FF", Hex.Of(FastSerializer.Serialize<RecordStructWithRefs?>(null)));
        Assert.Null(FastSerializer.Deserialize<RecordStructWithRefs?>(Hex.Parse("FF")));
    }

    /// <summary>A struct buffer writer: its array lives on the heap, its position in the struct.</summary>
    private struct SpanBufferWriter(byte[] buffer) : IBufferWriter<byte>
    {
        private int _written;

        public readonly ReadOnlySpan<byte> Written => buffer.AsSpan(0, _written);

        public void Advance(int count) => _written += count;

        public readonly Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(_written);

        public readonly Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(_written);
    }
}
