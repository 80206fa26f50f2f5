using FastAgents.Cli.Load;
using FastAgents.Serialization;
using Xunit;

namespace FastAgents.Cli.Tests;

public sealed class PayloadTests
{
    [Fact]
    public void StructMessages_SerializeToExactlyTheirPayloadSize()
    {
        AssertSize<TagMessage>(8);
        AssertSize<PaddedMessage<Padding.Bytes8>>(16);
        AssertSize<PaddedMessage<Padding.Bytes24>>(32);
        AssertSize<PaddedMessage<Padding.Bytes56>>(64);
        AssertSize<PaddedMessage<Padding.Bytes120>>(128);
        AssertSize<PaddedMessage<Padding.Bytes248>>(256);
        AssertSize<PaddedMessage<Padding.Bytes504>>(512);
        AssertSize<PaddedMessage<Padding.Bytes1016>>(1024);
        AssertSize<PaddedMessage<Padding.Bytes2040>>(2048);
        AssertSize<PaddedMessage<Padding.Bytes4088>>(4096);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(100)]
    [InlineData(5000)]
    public void BytesMessage_SerializesToExactlyTheRequestedSize(int bytes)
    {
        BytesMessage message = BytesMessage.Create(42, bytes);

        byte[] serialized = FastSerializer.Serialize(message);

        Assert.Equal(bytes, serialized.Length);
        Assert.Equal(42, FastSerializer.Deserialize<BytesMessage>(serialized)!.Tag);
    }

    [Fact]
    public void Describe_SaysWhereTheMessageTravels()
    {
        Assert.Contains("in the ring slot", PayloadSizes.Describe(64), StringComparison.Ordinal);
        Assert.Contains("pooled buffer", PayloadSizes.Describe(128), StringComparison.Ordinal);
        Assert.Contains("byte-array", PayloadSizes.Describe(100), StringComparison.Ordinal);
        Assert.Null(PayloadSizes.Describe(10));
    }

    private static void AssertSize<T>(int bytes)
        where T : ILoadMessage<T>
    {
        T message = T.Create(0x0102030405060708, bytes);

        byte[] serialized = FastSerializer.Serialize(message);

        Assert.Equal(bytes, serialized.Length);
        Assert.Equal(bytes, T.FixedSize);
        Assert.True(FastSerializer.IsRawCopy<T>(), $"{typeof(T).Name} is not copied as it is");
        T back = FastSerializer.Deserialize<T>(serialized)!;
        Assert.Equal(0x0102030405060708, T.TagOf(in back));
    }
}
