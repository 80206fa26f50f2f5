using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace FastAgents.Serialization.Tests;

/// <summary>FsCheck round-trip properties, one per supported shape, in both string forms where strings occur.</summary>
public sealed class RoundTripPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static T? RoundTrip<T>(T? value, FastSerializerOptions? options = null) =>
        FastSerializer.Deserialize<T>(FastSerializer.Serialize(value, options));

    // The UTF-8 form cannot carry a lone surrogate: like MemoryPack it is written as U+FFFD.
    private static string? Utf8(string? value) => value is null ? null : Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    private static void ForAll<T>(Func<T, bool> property) => Check.One(s_config, Prop.ForAll(property));

    private static void ForAll<T>(Arbitrary<T> arbitrary, Func<T, bool> property) => Check.One(s_config, Prop.ForAll(arbitrary, property));

    private static bool ReserializesEqual<T>(T? value, FastSerializerOptions? options = null)
    {
        byte[] first = FastSerializer.Serialize(value, options);
        T? back = FastSerializer.Deserialize<T>(first);
        byte[] second = FastSerializer.Serialize(back, options);
        return first.AsSpan().SequenceEqual(second);
    }

    [Fact]
    public void RoundTrip_Primitives_Equal()
    {
        ForAll<int>(v => RoundTrip(v) == v);
        ForAll<long>(v => RoundTrip(v) == v);
        ForAll<byte>(v => RoundTrip(v) == v);
        ForAll<bool>(v => RoundTrip(v) == v);
        ForAll<char>(v => RoundTrip(v) == v);
        ForAll<double>(v => RoundTrip(v).Equals(v));
        ForAll<float>(v => RoundTrip(v).Equals(v));
        ForAll<decimal>(v => RoundTrip(v) == v);
        ForAll<Guid>(v => RoundTrip(v) == v);
        ForAll<DateTime>(v => RoundTrip(v) == v);
        ForAll<short>(v => RoundTrip((Color)v) == (Color)v);
    }

    [Fact]
    public void RoundTrip_Strings_BothForms()
    {
        ForAll<string?>(v => RoundTrip(v, FastSerializerOptions.Utf16) == v);
        ForAll<string?>(v => RoundTrip(v) == Utf8(v));
        ForAll<string?>(v => FastSerializer.Serialize(v).Length == (v is null or "" ? 4 : 8 + Encoding.UTF8.GetByteCount(v)));
    }

    [Fact]
    public void RoundTrip_Arrays_Equal()
    {
        ForAll<int[]?>(v => v is null ? RoundTrip(v) is null : RoundTrip(v)!.AsSpan().SequenceEqual(v));
        ForAll<byte[]?>(v => v is null ? RoundTrip(v) is null : RoundTrip(v)!.AsSpan().SequenceEqual(v));
        ForAll<double[]?>(v => v is null ? RoundTrip(v) is null : RoundTrip(v)!.SequenceEqual(v));
        ForAll<string?[]?>(v => v is null ? RoundTrip(v, FastSerializerOptions.Utf16) is null : RoundTrip(v, FastSerializerOptions.Utf16)!.SequenceEqual(v));
        ForAll<string?[]?>(v => v is null ? RoundTrip(v) is null : RoundTrip(v)!.SequenceEqual(v.Select(Utf8)));
        ForAll<int[]?[]?>(v => ReserializesEqual(v));
    }

    [Fact]
    public void RoundTrip_Lists_Equal()
    {
        ForAll<List<int>?>(v => v is null ? RoundTrip(v) is null : RoundTrip(v)!.SequenceEqual(v));
        ForAll<List<string?>?>(v => v is null ? RoundTrip(v) is null : RoundTrip(v)!.SequenceEqual(v.Select(Utf8)));
        ForAll<List<long>?>(v => ReserializesEqual(v));
    }

    [Fact]
    public void RoundTrip_Dictionaries_Equal()
    {
        ForAll<(int Key, string? Value)[]>(pairs =>
        {
            var map = new Dictionary<int, string?>();
            foreach ((int key, string? value) in pairs)
            {
                map[key] = value;
            }

            Dictionary<int, string?>? back = RoundTrip(map, FastSerializerOptions.Utf16);
            return back!.Count == map.Count && map.All(p => back[p.Key] == p.Value);
        });
        ForAll<string[]>(keys =>
        {
            var map = new Dictionary<string, int>();
            foreach (string? key in keys)
            {
                if (key is not null)
                {
                    map[key] = key.Length;
                }
            }

            return ReserializesEqual(map, FastSerializerOptions.Utf16);
        });
    }

    [Fact]
    public void RoundTrip_NullablesAndTuples_Equal()
    {
        ForAll<int?>(v => RoundTrip(v) == v);
        ForAll<long?>(v => RoundTrip(v) == v);
        ForAll<(int, long)>(v => RoundTrip(v) == v);
        ForAll<(byte, int, short)>(v => RoundTrip(v) == v);
        ForAll<(int, long, byte, double)>(v => RoundTrip(v).Equals(v));
        ForAll<(string?, int)>(v => RoundTrip(v, FastSerializerOptions.Utf16) == v);
        ForAll<(string?, int?, List<int>?)>(v => ReserializesEqual(v));
        ForAll<(bool, int, string?)>(t =>
        {
            RecordStructWithRefs? value = t.Item1 ? new RecordStructWithRefs(t.Item2, t.Item3) : null;
            return RoundTrip(value, FastSerializerOptions.Utf16) == value;
        });
        ForAll<(bool, byte, int)>(t =>
        {
            PaddedStruct? value = t.Item1 ? new PaddedStruct { A = t.Item2, B = t.Item3 } : null;
            PaddedStruct? back = RoundTrip(value);
            return back.HasValue == value.HasValue && (!value.HasValue || (back!.Value.A, back.Value.B) == (t.Item2, t.Item3));
        });
    }

    [Fact]
    public void RoundTrip_Objects_Equal()
    {
        ForAll<(int, string?)>(t =>
        {
            Person? back = RoundTrip(new Person { Age = t.Item1, Name = t.Item2 }, FastSerializerOptions.Utf16);
            return back!.Age == t.Item1 && back.Name == t.Item2;
        });
        ForAll<(byte, int, long)>(t =>
        {
            ThreeNumbers? back = RoundTrip(new ThreeNumbers { A = t.Item1, B = t.Item2, C = t.Item3 });
            return (back!.A, back.B, back.C) == t;
        });
        ForAll<(int, int, int, long, string?)>(t =>
        {
            SmallMessage? back = RoundTrip(new SmallMessage { A = t.Item1, B = t.Item2, C = t.Item3, D = t.Item4, Text = t.Item5 });
            return (back!.A, back.B, back.C, back.D, back.Text) == (t.Item1, t.Item2, t.Item3, t.Item4, Utf8(t.Item5));
        });
        ForAll<(int, string?, List<int>?)>(t =>
        {
            PositionalRecord? back = RoundTrip(new PositionalRecord(t.Item1, t.Item2, t.Item3), FastSerializerOptions.Utf16);
            return back!.Id == t.Item1 && back.Title == t.Item2 && (t.Item3 is null ? back.Tags is null : back.Tags!.SequenceEqual(t.Item3));
        });
        ForAll<(int, string?)>(t => RoundTrip(new RecordStructWithRefs(t.Item1, t.Item2), FastSerializerOptions.Utf16) == new RecordStructWithRefs(t.Item1, t.Item2));
        ForAll<(int, string?)>(t =>
        {
            InitOnlyMessage? back = RoundTrip(new InitOnlyMessage { Id = t.Item1, Note = t.Item2, Ignored = "x" }, FastSerializerOptions.Utf16);
            return back!.Id == t.Item1 && back.Note == t.Item2 && back.Ignored is null;
        });
        ForAll<(string?, int)>(t =>
        {
            Outer.Inner back = RoundTrip(new Outer.Inner { Text = t.Item1, Number = t.Item2 }, FastSerializerOptions.Utf16);
            return back.Text == t.Item1 && back.Number == t.Item2;
        });
    }

    [Fact]
    public void RoundTrip_UnmanagedStructs_Equal()
    {
        ForAll<(byte, int)>(t =>
        {
            PaddedStruct back = RoundTrip(new PaddedStruct { A = t.Item1, B = t.Item2 });
            return (back.A, back.B) == t;
        });
        ForAll<(bool, long, short)>(t =>
        {
            AutoPropertyStruct back = RoundTrip(new AutoPropertyStruct { Flag = t.Item1, Value = t.Item2, Small = t.Item3 });
            return (back.Flag, back.Value, back.Small) == t;
        });
        ForAll<(byte, int)>(t =>
        {
            PlainPaddedStruct back = RoundTrip(new PlainPaddedStruct { A = t.Item1, B = t.Item2 });
            return (back.A, back.B) == t;
        });
    }

    [Fact]
    public void RoundTrip_Unions_SameCaseAndValues()
    {
        ForAll<(double, int, string?, int[]?)>(t =>
        {
            IShape[] shapes = [new Circle { Radius = t.Item1 }, new Square { Side = t.Item2, Label = t.Item3 }, new Polygon { Points = t.Item4 }];
            IShape?[]? back = RoundTrip(shapes, FastSerializerOptions.Utf16);
            return back![0] is Circle c && c.Radius.Equals(t.Item1)
                && back[1] is Square s && s.Side == t.Item2 && s.Label == t.Item3
                && back[2] is Polygon p && (t.Item4 is null ? p.Points is null : p.Points!.SequenceEqual(t.Item4));
        });
        ForAll<(string?, int, bool)>(t =>
        {
            Animal[] animals = [new Dog { Name = t.Item1, Barks = t.Item2 }, new Cat { Name = t.Item1, Indoor = t.Item3 }];
            Animal?[]? back = RoundTrip(animals, FastSerializerOptions.Utf16);
            return back![0] is Dog d && d.Name == t.Item1 && d.Barks == t.Item2
                && back[1] is Cat c && c.Name == t.Item1 && c.Indoor == t.Item3;
        });
    }

    [Fact]
    public void RoundTrip_VersionTolerant_AcrossVersions()
    {
        ForAll<(int, string?, string?[]?)>(t =>
        {
            var v2 = new PersonV2 { Age = t.Item1, Name = t.Item2, Emails = t.Item3?.ToList() };
            byte[] bytes = FastSerializer.Serialize(v2, FastSerializerOptions.Utf16);

            PersonV2? same = FastSerializer.Deserialize<PersonV2>(bytes);
            PersonV1? older = FastSerializer.Deserialize<PersonV1>(bytes);
            PersonV3? removed = FastSerializer.Deserialize<PersonV3>(bytes);
            PersonV2? newer = FastSerializer.Deserialize<PersonV2>(FastSerializer.Serialize(new PersonV1 { Age = t.Item1, Name = t.Item2 }, FastSerializerOptions.Utf16));

            bool emailsEqual(List<string?>? list) => t.Item3 is null ? list is null : list!.SequenceEqual(t.Item3);
            return same!.Age == t.Item1 && same.Name == t.Item2 && emailsEqual(same.Emails)
                && older!.Age == t.Item1 && older.Name == t.Item2
                && removed!.Age == t.Item1 && emailsEqual(removed.Emails)
                && newer!.Age == t.Item1 && newer.Name == t.Item2 && newer.Emails is null;
        });
    }

    [Fact]
    public void RoundTrip_AllShapes_ReserializesEqual()
    {
        ForAll<(bool, short, decimal, string?, int[]?, string?[]?, int?, (int, long))>(t =>
        {
            var value = new AllShapes
            {
                Flag = t.Item1,
                Color = (Color)t.Item2,
                Money = t.Item3,
                Id = Guid.NewGuid(),
                Text = t.Item4,
                Ints = t.Item5,
                Strings = t.Item6,
                IntList = t.Item5?.ToList(),
                StringList = t.Item6?.ToList(),
                Map = t.Item5?.Distinct().ToDictionary(i => i, i => (string?)i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                MaybeInt = t.Item7,
                MaybeLong = t.Item7,
                Pair = t.Rest.Item1,
                NamedPair = (t.Item4, t.Item2),
                Nested = t.Item1 ? null : new Person { Age = t.Item2, Name = t.Item4 },
                People = [new Person { Age = 1 }, null],
                Shape = t.Item1 ? new Circle { Radius = 2 } : new Square { Side = 3, Label = t.Item4 },
                Padded = new PaddedStruct { A = (byte)t.Item2, B = t.Item2 },
                Ratio = t.Item2 / 3.0,
            };
            AllShapes? back = RoundTrip(value, FastSerializerOptions.Utf16);
            return ReserializesEqual(value) && ReserializesEqual(value, FastSerializerOptions.Utf16)
                && back!.Id == value.Id && back.Money == value.Money && back.Color == value.Color && back.Ratio.Equals(value.Ratio)
                && back.Pair == value.Pair && back.MaybeInt == value.MaybeInt && back.Text == value.Text
                && back.Padded.B == value.Padded.B && back.Shape!.GetType() == value.Shape.GetType();
        });
    }
}
