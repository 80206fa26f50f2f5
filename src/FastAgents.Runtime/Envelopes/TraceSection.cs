using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastAgents.Runtime.Envelopes;

/// <summary>
/// The W3C trace context an envelope carries when <see cref="EnvelopeFlags.Traced"/> is set: 32 bytes that
/// follow the <see cref="EnvelopeHeader"/>.
/// </summary>
/// <remarks>
/// <code>
///   0 | TraceId (16 bytes)                 |
///  16 | SpanId (8 bytes)                   |
///  24 |TrFlags| reserved (7 bytes, zero)   |
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct TraceSection
{
    /// <summary>Bytes in the section.</summary>
    public const int Size = 32;

    [FieldOffset(0)]
    private TraceIdBytes _traceId;

    [FieldOffset(16)]
    private ulong _spanId;

    [FieldOffset(24)]
    private ulong _flagsAndReserved;

    /// <summary>The context as a remote parent, or default when the section is empty.</summary>
    public ActivityContext Context
    {
        readonly get
        {
            if (_spanId == 0)
            {
                return default;
            }

            ReadOnlySpan<byte> trace = _traceId;
            ulong span = _spanId;
            return new ActivityContext(
                ActivityTraceId.CreateFromBytes(trace),
                ActivitySpanId.CreateFromBytes(MemoryMarshal.AsBytes(new ReadOnlySpan<ulong>(in span))),
                (ActivityTraceFlags)(byte)_flagsAndReserved,
                isRemote: true);
        }

        set
        {
            if (value == default)
            {
                this = default;
                return;
            }

            value.TraceId.CopyTo(_traceId);
            ulong span = 0;
            value.SpanId.CopyTo(MemoryMarshal.AsBytes(new Span<ulong>(ref span)));
            _spanId = span;
            _flagsAndReserved = (byte)value.TraceFlags;
        }
    }

    [InlineArray(16)]
    private struct TraceIdBytes
    {
        private byte _element0;
    }
}
