namespace FastAgents.TransportBench.Compare;

/// <summary>One process of a variant's run.</summary>
/// <param name="Label">The process's name in the report (recv, send, middle...); unique within a variant.</param>
/// <param name="Arguments">The role name and its options, passed to a fresh instance of this executable.</param>
/// <param name="WaitForReady">Whether the next process waits until this one prints READY.</param>
internal sealed record ProcessSpec(string Label, IReadOnlyList<string> Arguments, bool WaitForReady);
