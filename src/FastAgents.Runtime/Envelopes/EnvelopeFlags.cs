namespace FastAgents.Runtime.Envelopes;

/// <summary>Bits in <see cref="EnvelopeHeader.Flags"/>.</summary>
[Flags]
public enum EnvelopeFlags : byte
{
    /// <summary>No flag set.</summary>
    None = 0,

    /// <summary>
    /// In a ring slot only: the payload did not fit inline and lives in a pooled buffer. Never sent: the
    /// wire carries the payload bytes right after the header either way.
    /// </summary>
    PayloadInOverflow = 1,
}
