using FastAgents.Rings;
using FastAgents.Runtime.Envelopes;
using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class SlotPayloadWriterTests
{
    [Fact]
    public void Write_SmallPayload_StaysInlineAndTheFrameIsTheWireBytes()
    {
        var ring = new RingBuffer<EnvelopeSlot>(8);
        ref EnvelopeSlot slot = ref ring[3];
        slot.Frame.Header.Kind = MessageKind.Tell;
        slot.Frame.Header.Version = EnvelopeHeader.CurrentVersion;

        int length = SlotPayloadWriter.Write(ring, 3, "hello", payloadType: 17);

        Assert.False(slot.HasOverflow);
        Assert.Equal(length, (int)slot.Frame.Header.PayloadLength);
        Assert.Equal((uint)(96 + length), slot.Frame.Header.Length);
        Assert.Equal(17u, slot.Frame.Header.PayloadType);
        Assert.Equal("hello", slot.ReadPayload<string>());

        // Inline: the first Length bytes of the frame are the header followed by the payload.
        ReadOnlySpan<byte> wire = slot.Frame.AsBytes()[..(int)slot.Frame.Header.Length];
        Assert.True(wire[..96].SequenceEqual(slot.Frame.Header.AsBytes()));
        Assert.True(wire[96..].SequenceEqual(FastAgents.Serialization.FastSerializer.Serialize("hello")));
    }

    [Fact]
    public void Write_PayloadLargerThanTheFrame_SpillsToAPooledBufferAndReadsBack()
    {
        var ring = new RingBuffer<EnvelopeSlot>(4);
        int[] large = Enumerable.Range(0, 1000).ToArray();

        int length = SlotPayloadWriter.Write(ring, 1, large, payloadType: 5);

        ref EnvelopeSlot slot = ref ring[1];
        Assert.True(slot.HasOverflow);
        Assert.Equal(4 + (4 * 1000), length);
        Assert.Equal(large, slot.ReadPayload<int[]>());

        slot.ReleasePayload();
        Assert.False(slot.HasOverflow);
        Assert.Equal(0u, slot.Frame.Header.PayloadLength);
        Assert.Equal(96u, slot.Frame.Header.Length);
    }

    [Fact]
    public void Write_IntoASlotThatStillHoldsAnOverflow_ReleasesItFirst()
    {
        var ring = new RingBuffer<EnvelopeSlot>(2);
        SlotPayloadWriter.Write(ring, 0, new string('x', 500), payloadType: 1);
        Assert.True(ring[0].HasOverflow);

        SlotPayloadWriter.Write(ring, 2, 7L, payloadType: 2); // same slot, next lap

        Assert.False(ring[0].HasOverflow);
        Assert.Equal(7L, ring[0].ReadPayload<long>());
    }

    [Fact]
    public void Write_PayloadAboveTheLimit_ThrowsWithTheSizes()
    {
        var ring = new RingBuffer<EnvelopeSlot>(2);

        var error = Assert.Throws<InvalidOperationException>(() => SlotPayloadWriter.Write(ring, 0, new byte[10_000], payloadType: 1, maxPayload: 4096));

        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_InlinePayloadInSteadyState_AllocatesNothing()
    {
        var ring = new RingBuffer<EnvelopeSlot>(64);
        var value = (1, 2L, 3.0);
        for (long s = 0; s < 1000; s++)
        {
            SlotPayloadWriter.Write(ring, s, value, payloadType: 3);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long s = 1000; s < 101_000; s++)
        {
            SlotPayloadWriter.Write(ring, s, value, payloadType: 3);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(value, ring[100_999].ReadPayload<(int, long, double)>());
    }
}
