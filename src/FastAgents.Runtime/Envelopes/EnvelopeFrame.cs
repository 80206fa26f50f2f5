using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastAgents.Runtime.Envelopes;

/// <summary>
/// The header and the inline payload of a ring slot, contiguous: for a payload of up to
/// <see cref="InlineCapacity"/> bytes, the first <c>Header.Length</c> bytes of the frame are exactly the
/// envelope's wire bytes, so a transport sends them with one write and nothing is re-serialized.
/// </summary>
/// <remarks>
/// <code>
/// 0                      96                                   256
/// +----------------------+------------------------------------+
/// | EnvelopeHeader       | inline payload (up to 160 bytes)   |
/// +----------------------+------------------------------------+
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct EnvelopeFrame
{
    /// <summary>Bytes in a frame: four cache lines.</summary>
    public const int Size = 256;

    /// <summary>Payload bytes that fit in the frame after the header.</summary>
    public const int InlineCapacity = Size - EnvelopeHeader.Size;

    /// <summary>The header.</summary>
    [FieldOffset(0)]
    public EnvelopeHeader Header;

    [FieldOffset(EnvelopeHeader.Size)]
    private InlineBytes _inline;

    /// <summary>The inline payload area, all <see cref="InlineCapacity"/> bytes of it.</summary>
    [UnscopedRef]
    public Span<byte> InlinePayload => _inline;

    /// <summary>The whole frame as bytes (header, then the inline area).</summary>
    [UnscopedRef]
    public Span<byte> AsBytes() => MemoryMarshal.AsBytes(new Span<EnvelopeFrame>(ref this));

    [InlineArray(InlineCapacity)]
    private struct InlineBytes
    {
        private byte _element0;
    }
}
