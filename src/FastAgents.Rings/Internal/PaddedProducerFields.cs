using System.Runtime.InteropServices;

namespace FastAgents.Rings.Internal;

/// <summary>
/// The single producer's own fields, with 56 bytes of padding on each side so that consumers writing
/// their sequences never invalidate the producer's cache line. (Explicit layout is not allowed on types
/// nested in a generic class, hence a type of its own.)
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedProducerFields
{
    /// <summary>The last sequence the producer claimed.</summary>
    [FieldOffset(56)]
    public long Next;

    /// <summary>The slowest gating sequence as last read: a lower bound on what consumers released.</summary>
    [FieldOffset(64)]
    public long CachedGating;
}
