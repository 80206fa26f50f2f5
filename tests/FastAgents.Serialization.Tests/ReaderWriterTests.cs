using System.Buffers;

namespace FastAgents.Serialization.Tests;

public sealed class ReaderWriterTests
{
    /// <summary>A buffer writer that hands out tiny spans, to drive the writer's slow path.</summary>
    private sealed class ChunkedWriter : IBufferWriter<byte>
    {
        private readonly List<byte[]> _chunks = [];
        private byte[] _current = [];

        public byte[] ToArray()
        {
            var all = new List<byte>();
            foreach (byte[] chunk in _chunks)
            {
                all.AddRange(chunk);
            }

            return [.. all];
        }

        public void Advance(int count) => _chunks.Add(_current.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    [Fact]
    public void Serialize_BufferWriterWithTinySpans_SameBytes()
    {
        var value = new AllShapes { Text = "héllo", Ints = [1, 2, 3], Map = new() { [1] = "a" }, Shape = new Square { Side = 2 } };
        var chunked = new ChunkedWriter();
        FastSerializer.Serialize(chunked, value);
        Assert.Equal(FastSerializer.Serialize(value), chunked.ToArray());
    }

    [Fact]
    public void Deserialize_MultiSegmentSequence_ReadsAcrossSegments()
    {
        byte[] bytes = FastSerializer.Serialize(new Person { Age = 40, Name = "John" });
        var first = new Segment(bytes.AsMemory(0, 3), 0);
        Segment last = first.Append(bytes.AsMemory(3, 5)).Append(bytes.AsMemory(8));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        Person? person = FastSerializer.Deserialize<Person>(sequence);

        Assert.Equal((40, "John"), (person!.Age, person.Name));
        Assert.Equal(40, FastSerializer.Deserialize<Person>(new ReadOnlySequence<byte>(bytes))!.Age);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(127L)]
    [InlineData(-120L)]
    [InlineData(-121L)]
    [InlineData(128L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(65535L)]
    [InlineData(65536L)]
    [InlineData(-129L)]
    [InlineData(-32769L)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void WriteVarInt_Any_ReadsBack(long value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new FastMessageWriter<ArrayBufferWriter<byte>>(ref buffer);
        writer.WriteVarInt(value);
        writer.Flush();

        var reader = new FastMessageReader(buffer.WrittenSpan);
        Assert.Equal(value, reader.ReadVarInt());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void WriteVarInt_SmallValues_OneByte()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new FastMessageWriter<ArrayBufferWriter<byte>>(ref buffer);
        writer.WriteVarInt(5);
        writer.WriteVarInt(300);
        writer.Flush();
        Assert.Equal("05852C01", Hex.Of(buffer.WrittenSpan));
    }
}
