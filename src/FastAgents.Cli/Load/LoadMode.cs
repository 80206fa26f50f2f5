namespace FastAgents.Cli.Load;

/// <summary>What each send of <c>fastagents load</c> is.</summary>
internal enum LoadMode
{
    /// <summary>
    /// A one-way <c>Tell</c>. The send completes when the target agent's handler runs: the handler completes a pooled
    /// completion source named in the message, so latency is delivery latency, from the send (its intended time, or
    /// its actual start) to the moment the target handles the message.
    /// </summary>
    Tell,

    /// <summary>An <c>AskAsync</c>; the send completes when the reply (an 8-byte acknowledgement) is back: round-trip latency.</summary>
    Ask,
}
