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
    /// <see cref="EnvelopeHeader.Target"/> holds a capability id, not an agent id: the envelope goes to the least
    /// busy agent with that capability, in whichever process the router finds it.
    /// </summary>
    AnyOf = 2,

    /// <summary>
    /// Ring slots only, never on the wire: the envelope came from another process through a link, so a reply to it
    /// (or the news that it cannot be answered) goes back through the link.
    /// </summary>
    Remote = 0x40,

    /// <summary>
    /// Ring slots only, never on the wire: the payload lives in a pooled buffer beside the slot because it
    /// did not fit inline.
    /// </summary>
    Overflow = 0x80,
}
