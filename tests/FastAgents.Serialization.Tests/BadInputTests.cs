namespace FastAgents.Serialization.Tests;

/// <summary>Malformed input fails with <see cref="FastSerializationException"/> saying what and where.</summary>
public sealed class BadInputTests
{
    private static FastSerializationException Fails<T>(string hex) =>
        Assert.Throws<FastSerializationException>(() => FastSerializer.Deserialize<T>(Hex.Parse(hex)));

    [Fact]
    public void Deserialize_TruncatedInt_ThrowsWithOffset()
    {
        FastSerializationException e = Fails<int>("7B 00");
        Assert.Contains("offset 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("needed 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_TruncatedObject_Throws()
    {
        Fails<Person>(string.Empty);
        Fails<Person>("02 28 00 00");
        Fails<Person>("02 28 00 00 00 FB FF FF FF 04 00 00 00 4A 6F");
    }

    [Fact]
    public void Deserialize_NegativeCollectionLength_Throws()
    {
        FastSerializationException e = Fails<int[]>("FE FF FF FF");
        Assert.Contains("Invalid collection length -2", e.Message, StringComparison.Ordinal);
        Fails<List<string>>("00 00 00 80");
    }

    [Fact]
    public void Deserialize_HugeLength_ThrowsBeforeAllocating()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        FastSerializationException e = Fails<int[]>("FF FF FF 7F 01 02");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("only 2 are left", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 100_000, $"allocated {allocated} bytes");

        Fails<string?[]>("FF FF FF 7F 01 02");
        Fails<Dictionary<int, int>>("FF FF FF 7F 01 02");
        Fails<List<Person>>("FF FF FF 7F 01 02");
        Fails<string>("FF FF FF 7F 61 00");
        Fails<string>("00 00 00 80 10 00 00 00 61");
        Fails<string>("F0 FF FF FF FF FF FF 7F 61");
    }

    [Fact]
    public void Deserialize_UnknownUnionTag_Throws()
    {
        FastSerializationException e = Fails<IShape>("07 00");
        Assert.Contains("Unknown union tag 7", e.Message, StringComparison.Ordinal);
        Assert.Contains("IShape", e.Message, StringComparison.Ordinal);
        Fails<IShape>("FA 10 27 00");
        Fails<IShape>("FB");
    }

    [Fact]
    public void Deserialize_InvalidUtf8_Throws()
    {
        FastSerializationException e = Fails<string>("FD FF FF FF 02 00 00 00 C3 28");
        Assert.Contains("Invalid UTF-8", e.Message, StringComparison.Ordinal);
        Fails<string>("FC FF FF FF 03 00 00 00 ED A0 80");
    }

    [Fact]
    public void Deserialize_Utf8CharCountMismatch_Throws()
    {
        Fails<string>("FC FF FF FF 02 00 00 00 61 62 63");
        Fails<string>("FC FF FF FF 00 00 00 00 61 62 63");
        Fails<string>("FC FF FF FF FF FF FF FF 61 62 63");
    }

    [Fact]
    public void Deserialize_MoreMembersThanType_Throws()
    {
        FastSerializationException e = Fails<Person>("03 28 00 00 00 FF FF FF FF FF FF FF FF");
        Assert.Contains("has 3 members", e.Message, StringComparison.Ordinal);
        Assert.Contains("Person", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_FewerMembersThanType_GivesDefaults()
    {
        Person? person = FastSerializer.Deserialize<Person>(Hex.Parse("01 28 00 00 00"));
        Assert.Equal(40, person!.Age);
        Assert.Null(person.Name);

        PersonWithEmail? newer = FastSerializer.Deserialize<PersonWithEmail>(FastSerializer.Serialize(new Person { Age = 3, Name = "n" }));
        Assert.Equal((3, "n", (string?)null), (newer!.Age, newer.Name, newer.Email));

        Assert.Throws<FastSerializationException>(() => FastSerializer.Deserialize<Person>(FastSerializer.Serialize(newer)));
    }

    [Fact]
    public void Deserialize_ReservedHeader_Throws()
    {
        for (int code = 250; code <= 254; code++)
        {
            FastSerializationException e = Fails<Person>(code.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains("Reserved object header", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Deserialize_VersionTolerantLengthMismatch_Throws()
    {
        // Age declared as 3 bytes, but an int takes 4.
        Fails<PersonV1>("02 03 04 28 00 00 00 FF FF FF FF");
        // A negative varint length.
        Fails<PersonV1>("02 FF 04 28 00 00 00 FF FF FF FF");
        // Extra member whose length runs past the end.
        Fails<PersonV1>("03 04 04 7F 28 00 00 00 FF FF FF FF");
    }

    [Fact]
    public void Deserialize_DeepNesting_ThrowsInsteadOfOverflowingTheStack()
    {
        byte[] deep = new byte[(5 * 100_000) + 1];
        for (int i = 0; i < 100_000; i++)
        {
            deep[(i * 5) + 0] = 2;
        }

        deep[^1] = 0xFF;
        FastSerializationException e = Assert.Throws<FastSerializationException>(() => FastSerializer.Deserialize<TreeNode>(deep));
        Assert.Contains("Nesting deeper", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_CyclicGraph_Throws()
    {
        var node = new TreeNode { Value = 1 };
        node.Next = node;
        Assert.Throws<FastSerializationException>(() => FastSerializer.Serialize(node));
    }

    [Fact]
    public void Deserialize_DictionaryDuplicateKey_Throws()
    {
        Fails<Dictionary<int, int>>("02 00 00 00 01 00 00 00 05 00 00 00 01 00 00 00 06 00 00 00");
        Fails<Dictionary<string, int>>("01 00 00 00 FF FF FF FF 05 00 00 00");
    }

    [Fact]
    public void Serialize_UnregisteredType_Throws()
    {
        FastSerializationException e = Assert.Throws<FastSerializationException>(() => FastSerializer.Serialize(new Temperature2()));
        Assert.Contains("No formatter", e.Message, StringComparison.Ordinal);
    }

    private sealed class Temperature2
    {
    }
}
