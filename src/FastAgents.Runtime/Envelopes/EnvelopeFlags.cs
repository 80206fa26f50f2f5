namespace FastAgents.Runtime.Envelopes;

/// <summary>Bits in <see cref="EnvelopeHeader.Flags"/>.</summary>
[Flags]
public enum EnvelopeFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>A 32-byte <see cref="TraceSection"/> follows the header.</summary>
    Traced = 1,

    /// <summary>
    /// Ring slots only, never on the wire: the payload lives in a pooled buffer beside the slot because it
    /// did not fit inline.
    /// </summary>
    Overflow = 0x80,
}
