namespace FastAgents.Serialization.Tests;

/// <summary>The byte vectors from MemoryPack's documentation and behaviour: written exactly, and read back.</summary>
public sealed class CompatibilityVectorTests
{
    private static void AssertBytes<T>(T value, string expected, FastSerializerOptions? options = null)
    {
        byte[] bytes = FastSerializer.Serialize(value, options);
        Assert.Equal(Hex.Norm(expected), Hex.Of(bytes));
    }

    [Fact]
    public void Serialize_Int123_IsLittleEndian()
    {
        AssertBytes(123, "7B 00 00 00");
        Assert.Equal(123, FastSerializer.Deserialize<int>(Hex.Parse("7B 00 00 00")));
    }

    [Fact]
    public void Serialize_NullAndEmptyString_UseLengthHeaders()
    {
        AssertBytes<string?>(null, "FF FF FF FF");
        AssertBytes(string.Empty, "00 00 00 00");
        AssertBytes(string.Empty, "00 00 00 00", FastSerializerOptions.Utf16);
        Assert.Null(FastSerializer.Deserialize<string>(Hex.Parse("FF FF FF FF")));
        Assert.Equal(string.Empty, FastSerializer.Deserialize<string>(Hex.Parse("00 00 00 00")));
    }

    [Fact]
    public void Serialize_AsciiString_Utf8AndUtf16Forms()
    {
        AssertBytes("abc", "FC FF FF FF 03 00 00 00 61 62 63");
        AssertBytes("abc", "03 00 00 00 61 00 62 00 63 00", FastSerializerOptions.Utf16);
        Assert.Equal("abc", FastSerializer.Deserialize<string>(Hex.Parse("FC FF FF FF 03 00 00 00 61 62 63")));
        Assert.Equal("abc", FastSerializer.Deserialize<string>(Hex.Parse("03 00 00 00 61 00 62 00 63 00")));
    }

    [Fact]
    public void Serialize_JapaneseString_Utf8HeaderHoldsByteAndCharCounts()
    {
        AssertBytes("あ", "FC FF FF FF 01 00 00 00 E3 81 82");
        Assert.Equal("あ", FastSerializer.Deserialize<string>(Hex.Parse("FC FF FF FF 01 00 00 00 E3 81 82")));
    }

    [Fact]
    public void Serialize_ByteArray_LengthThenBytes()
    {
        AssertBytes(new byte[] { 1, 2, 3 }, "03 00 00 00 01 02 03");
        AssertBytes<byte[]?>(null, "FF FF FF FF");
        Assert.Equal(new byte[] { 1, 2, 3 }, FastSerializer.Deserialize<byte[]>(Hex.Parse("03 00 00 00 01 02 03")));
        Assert.Null(FastSerializer.Deserialize<byte[]>(Hex.Parse("FF FF FF FF")));
    }

    [Fact]
    public void Serialize_IntArrayAndList_SameBytes()
    {
        const string Expected = "02 00 00 00 01 00 00 00 FF FF FF FF";
        AssertBytes(new[] { 1, -1 }, Expected);
        AssertBytes(new List<int> { 1, -1 }, Expected);
        Assert.Equal(new[] { 1, -1 }, FastSerializer.Deserialize<int[]>(Hex.Parse(Expected)));
        Assert.Equal(new List<int> { 1, -1 }, FastSerializer.Deserialize<List<int>>(Hex.Parse(Expected)));
    }

    [Fact]
    public void Serialize_StringArrayWithNull_ElementsInline()
    {
        const string Expected = "02 00 00 00 FE FF FF FF 01 00 00 00 61 FF FF FF FF";
        AssertBytes(new[] { "a", null }, Expected);
        Assert.Equal(new[] { "a", null }, FastSerializer.Deserialize<string?[]>(Hex.Parse(Expected)));
    }

    [Fact]
    public void Serialize_UnmanagedStruct_PaddingIsZero()
    {
        AssertBytes(new PaddedStruct { A = 1, B = 2 }, "01 00 00 00 02 00 00 00");
        PaddedStruct back = FastSerializer.Deserialize<PaddedStruct>(Hex.Parse("01 00 00 00 02 00 00 00"));
        Assert.Equal(1, back.A);
        Assert.Equal(2, back.B);
    }

    [Fact]
    public void Serialize_UnmanagedStructWithDirtyPadding_PaddingIsCleared()
    {
        PaddedStruct dirty = default;
        System.Runtime.CompilerServices.Unsafe.InitBlockUnaligned(ref System.Runtime.CompilerServices.Unsafe.As<PaddedStruct, byte>(ref dirty), 0xAB, 8);
        dirty.A = 1;
        dirty.B = 2;
        AssertBytes(dirty, "01 00 00 00 02 00 00 00");
    }

    [Fact]
    public void Serialize_PlainUnmanagedStruct_RawCopy()
    {
        AssertBytes(new PlainPaddedStruct { A = 1, B = 2 }, "01 00 00 00 02 00 00 00");
        PlainPaddedStruct back = FastSerializer.Deserialize<PlainPaddedStruct>(Hex.Parse("01 00 00 00 02 00 00 00"));
        Assert.Equal((1, 2), (back.A, back.B));
    }

    [Fact]
    public void Serialize_Person_HeaderThenMembers()
    {
        const string Expected = "02 28 00 00 00 FB FF FF FF 04 00 00 00 4A 6F 68 6E";
        AssertBytes(new Person { Age = 40, Name = "John" }, Expected);
        AssertBytes<Person?>(null, "FF");
        Person? back = FastSerializer.Deserialize<Person>(Hex.Parse(Expected));
        Assert.NotNull(back);
        Assert.Equal(40, back.Age);
        Assert.Equal("John", back.Name);
        Assert.Null(FastSerializer.Deserialize<Person>(Hex.Parse("FF")));
    }

    [Fact]
    public void Serialize_ThreeUnmanagedMembers_PackedWithoutPadding()
    {
        const string Expected = "03 01 02 00 00 00 03 00 00 00 00 00 00 00";
        AssertBytes(new ThreeNumbers { A = 1, B = 2, C = 3 }, Expected);
        ThreeNumbers? back = FastSerializer.Deserialize<ThreeNumbers>(Hex.Parse(Expected));
        Assert.Equal((1, 2, 3L), (back!.A, back.B, back.C));
    }

    [Fact]
    public void Serialize_NullableInt_RawNullableLayout()
    {
        AssertBytes<int?>(0, "01 00 00 00 00 00 00 00");
        AssertBytes<int?>(null, "00 00 00 00 00 00 00 00");
        Assert.Equal(0, FastSerializer.Deserialize<int?>(Hex.Parse("01 00 00 00 00 00 00 00")));
        Assert.Null(FastSerializer.Deserialize<int?>(Hex.Parse("00 00 00 00 00 00 00 00")));
    }

    [Fact]
    public void Serialize_Union_TagThenCase()
    {
        AssertBytes<IShape>(new Square { Side = 2, Label = null }, "01 02 02 00 00 00 FF FF FF FF");
        AssertBytes<IShape?>(null, "FF");
        var back = Assert.IsType<Square>(FastSerializer.Deserialize<IShape>(Hex.Parse("01 02 02 00 00 00 FF FF FF FF")));
        Assert.Equal(2, back.Side);
    }

    [Fact]
    public void Serialize_UnionWideTag_250ThenUShort()
    {
        // Tag 300 = 0x012C.
        AssertBytes<IShape>(new Polygon { Points = [7] }, "FA 2C 01 01 01 00 00 00 07 00 00 00");
        var back = Assert.IsType<Polygon>(FastSerializer.Deserialize<IShape>(Hex.Parse("FA 2C 01 01 01 00 00 00 07 00 00 00")));
        Assert.Equal([7], back.Points!);
    }

    [Fact]
    public void Serialize_VersionTolerant_LengthsAsVarInts()
    {
        // [count 2][len 4][len 8]["Age" 40]["Jo" in UTF-8].
        AssertBytes(new PersonV1 { Age = 40, Name = "Jo" }, "02 04 0A 28 00 00 00 FD FF FF FF 02 00 00 00 4A 6F");
    }

    [Fact]
    public void Serialize_Dictionary_CountThenPairs()
    {
        AssertBytes(new Dictionary<int, string?> { [1] = "a" }, "01 00 00 00 01 00 00 00 FE FF FF FF 01 00 00 00 61");
        Dictionary<int, string?>? back = FastSerializer.Deserialize<Dictionary<int, string?>>(Hex.Parse("01 00 00 00 01 00 00 00 FE FF FF FF 01 00 00 00 61"));
        Assert.Equal("a", back![1]);
    }

    [Fact]
    public void Serialize_ValueTupleUnmanaged_StructLayoutWithZeroPadding()
    {
        // ValueTuple has automatic layout: the runtime puts the long first, as a raw copy would show.
        AssertBytes((1, 2L), "02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00");
        Assert.Equal((1, 2L), FastSerializer.Deserialize<(int, long)>(Hex.Parse("02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00")));
    }

    [Fact]
    public void Serialize_ValueTupleWithReference_ItemsInSequence()
    {
        AssertBytes(("a", 5), "FE FF FF FF 01 00 00 00 61 05 00 00 00");
    }
}
