using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastAgents.Cli.Load;

/// <summary>
/// A load message of <c>8 + sizeof(TPad)</c> bytes: the tag, then filler. An unmanaged struct without padding, so
/// the runtime copies it into the ring slot (or a pooled buffer) as it is and hands the handler a reference to it.
/// </summary>
/// <typeparam name="TPad">One of the <see cref="Padding"/> blocks.</typeparam>
[StructLayout(LayoutKind.Sequential)]
internal struct PaddedMessage<TPad> : ILoadMessage<PaddedMessage<TPad>>
    where TPad : unmanaged
{
    public long Tag;
    public TPad Pad;

    public static int? FixedSize => sizeof(long) + Unsafe.SizeOf<TPad>();

    public static PaddedMessage<TPad> Create(long tag, int payloadBytes) => new() { Tag = tag };

    public static long TagOf(in PaddedMessage<TPad> message) => message.Tag;
}
