using FastAgents.Runtime.Envelopes;

namespace FastAgents.Runtime.Workers;

/// <summary>
/// What a <see cref="Worker{THandler}"/> does with each envelope. Implement it on a struct: the worker's
/// loop is compiled for that struct and calls it directly, with no interface dispatch per message.
/// </summary>
public interface IEnvelopeHandler
{
    /// <summary>
    /// Handles one envelope. The slot, and any payload buffer it holds, is reused as soon as this returns:
    /// copy out what must outlive the call.
    /// </summary>
    void Handle(ref EnvelopeSlot slot);
}
