namespace FastAgents.Serialization.Tests;

/// <summary>
/// Random and mutated inputs: the reader never crashes, hangs or reads past the input, and the only exception
/// is <see cref="FastSerializationException"/>. Bounded in iterations, fixed seed.
/// </summary>
public sealed class FuzzTests
{
    private const int RandomInputs = 50_000;
    private const int MutatedInputs = 50_000;

    private delegate void SpanReader(ReadOnlySpan<byte> input);

    private static readonly SpanReader[] s_spanReaders =
    [
        b => FastSerializer.Deserialize<AllShapes>(b),
        b => FastSerializer.Deserialize<PersonV2>(b),
        b => FastSerializer.Deserialize<IShape>(b),
        b => FastSerializer.Deserialize<string?[]>(b),
        b => FastSerializer.Deserialize<Dictionary<string, List<int>>>(b),
    ];

    private static readonly Action<byte[]>[] s_readers =
    [
        b => FastSerializer.Deserialize<AllShapes>(b),
        b => FastSerializer.Deserialize<Person>(b),
        b => FastSerializer.Deserialize<PersonV2>(b),
        b => FastSerializer.Deserialize<IShape>(b),
        b => FastSerializer.Deserialize<Animal>(b),
        b => FastSerializer.Deserialize<string>(b),
        b => FastSerializer.Deserialize<string?[]>(b),
        b => FastSerializer.Deserialize<Dictionary<string, List<int>>>(b),
        b => FastSerializer.Deserialize<TreeNode>(b),
        b => FastSerializer.Deserialize<PositionalRecord>(b),
        b => FastSerializer.Deserialize<(string?, int?, List<int>?)>(b),
    ];

    private static byte[][] Seeds()
    {
        var all = new AllShapes
        {
            Flag = true,
            Color = Color.Blue,
            Money = 12.5m,
            Id = new Guid("00112233-4455-6677-8899-aabbccddeeff"),
            Text = "héllo あ",
            Ints = [1, 2, 3],
            Strings = ["a", null, "bc"],
            IntList = [4, 5],
            StringList = ["x"],
            Map = new() { [1] = "one", [2] = null },
            MaybeInt = 7,
            Pair = (1, 2),
            NamedPair = ("p", 3),
            Nested = new Person { Age = 1, Name = "n" },
            People = [new Person { Age = 2 }, null],
            Shape = new Polygon { Points = [1, 2] },
            Padded = new PaddedStruct { A = 1, B = 2 },
            Ratio = 0.5,
        };
        return
        [
            FastSerializer.Serialize(all),
            FastSerializer.Serialize(all, FastSerializerOptions.Utf16),
            FastSerializer.Serialize(new PersonV2 { Age = 1, Name = "a", Emails = ["e", null] }),
            FastSerializer.Serialize<IShape>(new Square { Side = 1, Label = "s" }),
            FastSerializer.Serialize<Animal>(new Dog { Name = "d", Barks = 2 }),
            FastSerializer.Serialize(new Dictionary<string, List<int>> { ["k"] = [1, 2] }),
            FastSerializer.Serialize(new TreeNode { Value = 1, Next = new TreeNode { Value = 2 } }),
            FastSerializer.Serialize(new PositionalRecord(1, "t", [1])),
        ];
    }

    [Fact]
    public void Deserialize_RandomBytes_OnlyDocumentedException()
    {
        var random = new Random(12345);
        for (int i = 0; i < RandomInputs; i++)
        {
            byte[] input = new byte[random.Next(0, 64)];
            random.NextBytes(input);
            Run(input, s_readers[i % s_readers.Length]);
        }
    }

    [Fact]
    public void Deserialize_MutatedValidInputs_OnlyDocumentedException()
    {
        var random = new Random(54321);
        byte[][] seeds = Seeds();
        for (int i = 0; i < MutatedInputs; i++)
        {
            byte[] seed = seeds[random.Next(seeds.Length)];
            byte[] input = Mutate(seed, random);
            foreach (Action<byte[]> reader in s_readers)
            {
                Run(input, reader);
            }
        }
    }

    [Fact]
    public void Deserialize_InputEndingAtGuardPage_NeverReadsPastTheEnd()
    {
        if (!GuardedBuffer.IsSupported)
        {
            return;
        }

        using var guarded = new GuardedBuffer();
        var random = new Random(777);
        byte[][] seeds = Seeds();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = i % 2 == 0 ? Mutate(seeds[random.Next(seeds.Length)], random) : RandomBytes(random);
            foreach (SpanReader reader in s_spanReaders)
            {
                try
                {
                    reader(guarded.Place(input));
                }
                catch (FastSerializationException)
                {
                }
            }
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] input = new byte[random.Next(0, 64)];
        random.NextBytes(input);
        return input;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] input = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                return input.AsSpan(0, random.Next(input.Length)).ToArray();
            case 1:
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                return input;
            case 2:
                int at = random.Next(Math.Max(1, input.Length - 4));
                BitConverter.TryWriteBytes(input.AsSpan(at), random.Next(4) switch { 0 => int.MaxValue, 1 => -2, 2 => int.MinValue, _ => random.Next() });
                return input;
            default:
                input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                return input;
        }
    }

    private static void Run(byte[] input, Action<byte[]> reader)
    {
        try
        {
            reader(input);
        }
        catch (FastSerializationException)
        {
        }
    }
}
