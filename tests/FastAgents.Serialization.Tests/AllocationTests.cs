using System.Buffers;

namespace FastAgents.Serialization.Tests;

/// <summary>
/// The zero-allocation claims, measured exactly with <see cref="GC.GetAllocatedBytesForCurrentThread"/>
/// around a warmed-up loop.
/// </summary>
public sealed class AllocationTests
{
    private const int Iterations = 1000;

    private static long Measure(Action action)
    {
        for (int i = 0; i < 100; i++)
        {
            action();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Serialize_IntoReusedBufferWriter_AllocatesNothing()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var small = new SmallMessage { A = 1, B = 2, C = 3, D = 4, Text = "0123456789abcdef" };
        int[] ints = Enumerable.Range(0, 256).ToArray();
        var all = new AllShapes { Text = "x", Ints = ints, Nested = new Person { Age = 1, Name = "n" }, Shape = new Circle(), IntList = [1], Map = new() { [1] = "a" } };
        var tolerant = new PersonV2 { Age = 1, Name = "a", Emails = ["e"] };

        Assert.Equal(0, Measure(() => { buffer.ResetWrittenCount(); FastSerializer.Serialize(buffer, small); }));
        Assert.Equal(0, Measure(() => { buffer.ResetWrittenCount(); FastSerializer.Serialize(buffer, ints); }));
        Assert.Equal(0, Measure(() => { buffer.ResetWrittenCount(); FastSerializer.Serialize(buffer, small, FastSerializerOptions.Utf16); }));
        Assert.Equal(0, Measure(() => { buffer.ResetWrittenCount(); FastSerializer.Serialize(buffer, all); }));
        Assert.Equal(0, Measure(() => { buffer.ResetWrittenCount(); FastSerializer.Serialize(buffer, tolerant); }));
    }

    [Fact]
    public void Deserialize_UnmanagedStruct_AllocatesNothing()
    {
        byte[] padded = FastSerializer.Serialize(new PaddedStruct { A = 1, B = 2 });
        byte[] plain = FastSerializer.Serialize(new PlainPaddedStruct { A = 1, B = 2 });
        byte[] tuple = FastSerializer.Serialize((1, 2L));
        byte[] nullable = FastSerializer.Serialize<long?>(5);

        Assert.Equal(0, Measure(() => FastSerializer.Deserialize<PaddedStruct>(padded)));
        Assert.Equal(0, Measure(() => FastSerializer.Deserialize<PlainPaddedStruct>(plain)));
        Assert.Equal(0, Measure(() => FastSerializer.Deserialize<(int, long)>(tuple)));
        Assert.Equal(0, Measure(() => FastSerializer.Deserialize<long?>(nullable)));
    }

    [Fact]
    public void Deserialize_OverwriteInPlace_AllocatesNothing()
    {
        byte[] small = FastSerializer.Serialize(new SmallMessage { A = 1, B = 2, C = 3, D = 4, Text = "0123456789abcdef" });
        byte[] numbers = FastSerializer.Serialize(new NumbersOnly { A = 1, B = 2, C = 3, Values = [1, 2, 3, 4] });
        byte[] ints = FastSerializer.Serialize(Enumerable.Range(0, 256).ToArray());
        byte[] list = FastSerializer.Serialize(Enumerable.Range(0, 256).ToList());

        SmallMessage? smallTarget = new();
        NumbersOnly? numbersTarget = new();
        int[]? intsTarget = null;
        List<int>? listTarget = null;
        FastSerializer.Deserialize(small, ref smallTarget);
        SmallMessage sameInstance = smallTarget!;

        Assert.Equal(0, Measure(() => FastSerializer.Deserialize(small, ref smallTarget)));
        Assert.Equal(0, Measure(() => FastSerializer.Deserialize(numbers, ref numbersTarget)));
        Assert.Equal(0, Measure(() => FastSerializer.Deserialize(ints, ref intsTarget)));
        Assert.Equal(0, Measure(() => FastSerializer.Deserialize(list, ref listTarget)));
        Assert.Same(sameInstance, smallTarget);
        Assert.Equal(4, numbersTarget!.Values!.Length);
    }
}
