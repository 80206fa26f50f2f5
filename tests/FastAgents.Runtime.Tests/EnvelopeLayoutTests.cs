using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastAgents.Runtime.Envelopes;
using Xunit;

namespace FastAgents.Runtime.Tests;

/// <summary>The header is a wire format: its offsets are checked against the documented diagram.</summary>
public sealed class EnvelopeLayoutTests
{
    [Fact]
    public void EnvelopeHeader_Fields_SitAtTheDocumentedOffsets()
    {
        var h = default(EnvelopeHeader);
        ref byte start = ref Unsafe.As<EnvelopeHeader, byte>(ref h);

        Assert.Equal(56, Unsafe.SizeOf<EnvelopeHeader>());
        Assert.Equal(0, Offset(ref start, ref Unsafe.As<uint, byte>(ref h.Length)));
        Assert.Equal(4, Offset(ref start, ref h.Version));
        Assert.Equal(5, Offset(ref start, ref Unsafe.As<MessageKind, byte>(ref h.Kind)));
        Assert.Equal(6, Offset(ref start, ref h.Priority));
        Assert.Equal(7, Offset(ref start, ref Unsafe.As<EnvelopeFlags, byte>(ref h.Flags)));
        Assert.Equal(8, Offset(ref start, ref Unsafe.As<ulong, byte>(ref h.MessageId)));
        Assert.Equal(16, Offset(ref start, ref Unsafe.As<ulong, byte>(ref h.CorrelationId)));
        Assert.Equal(24, Offset(ref start, ref Unsafe.As<AgentId, byte>(ref h.Sender)));
        Assert.Equal(32, Offset(ref start, ref Unsafe.As<AgentId, byte>(ref h.Target)));
        Assert.Equal(40, Offset(ref start, ref Unsafe.As<uint, byte>(ref h.PayloadType)));
        Assert.Equal(44, Offset(ref start, ref Unsafe.As<uint, byte>(ref h.PayloadLength)));
        Assert.Equal(48, Offset(ref start, ref Unsafe.As<long, byte>(ref h.Timestamp)));
    }

    [Fact]
    public void PayloadOffset_WithAndWithoutTrace_FollowsTheHeaderAndTheTraceSection()
    {
        var h = default(EnvelopeHeader);
        Assert.Equal(56, h.PayloadOffset);
        h.Flags = EnvelopeFlags.Traced;
        Assert.Equal(56 + 32, h.PayloadOffset);
        Assert.Equal(32, Unsafe.SizeOf<TraceSection>());
    }

    [Fact]
    public void AsBytes_SetFields_AreLittleEndianAtTheirOffsets()
    {
        var type = AgentType.Register("layout-test");
        var h = new EnvelopeHeader
        {
            Length = 56 + 5,
            Version = EnvelopeHeader.CurrentVersion,
            Kind = MessageKind.Ask,
            Priority = 2,
            Flags = EnvelopeFlags.None,
            MessageId = 0x0102030405060708,
            CorrelationId = 0x1112131415161718,
            Sender = type[7],
            Target = type[9],
            PayloadType = 0xAABBCCDD,
            PayloadLength = 5,
            Timestamp = 1_700_000_000_123_456_789,
        };

        ReadOnlySpan<byte> bytes = h.AsBytes();

        Assert.Equal(56, bytes.Length);
        Assert.Equal(61u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(new byte[] { 1, 2, 2, 0 }, bytes.Slice(4, 4).ToArray());
        Assert.Equal(0x0102030405060708UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));
        Assert.Equal(0x1112131415161718UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]));
        Assert.Equal(((ulong)type.Id << 32) | 7, BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
        Assert.Equal(((ulong)type.Id << 32) | 9, BinaryPrimitives.ReadUInt64LittleEndian(bytes[32..]));
        Assert.Equal(0xAABBCCDDu, BinaryPrimitives.ReadUInt32LittleEndian(bytes[40..]));
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(bytes[44..]));
        Assert.Equal(1_700_000_000_123_456_789L, BinaryPrimitives.ReadInt64LittleEndian(bytes[48..]));
    }

    [Fact]
    public void TraceSection_SetThenGet_RoundTripsTheW3CIdsAtTheirOffsets()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var t = default(TraceSection);

        t.Context = context;

        ActivityContext back = t.Context;
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<TraceSection>(in t));
        Assert.Equal(context.TraceId, back.TraceId);
        Assert.Equal(context.SpanId, back.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, back.TraceFlags);
        Assert.Equal(context.TraceId.ToHexString(), Convert.ToHexStringLower(bytes.Slice(0, 16)));
        Assert.Equal(context.SpanId.ToHexString(), Convert.ToHexStringLower(bytes.Slice(16, 8)));
        Assert.Equal(1, bytes[24]);
        Assert.True(bytes[25..].IndexOfAnyExcept((byte)0) < 0, "reserved bytes are zero");

        t.Context = default;
        Assert.Equal(default, t.Context);
        Assert.True(MemoryMarshal.AsBytes(new ReadOnlySpan<TraceSection>(in t)).IndexOfAnyExcept((byte)0) < 0);
    }

    private static long Offset(ref byte start, ref byte field) => Unsafe.ByteOffset(ref start, ref field);
}
