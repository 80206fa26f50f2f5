using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>One version of one key of a <see cref="SharedContext"/>.</summary>
/// <param name="Scope">The key's scope.</param>
/// <param name="Key">The key.</param>
/// <param name="Version">The key's version: 1 for its first write, one more for every write or delete after.</param>
/// <param name="Value">The value; null when this version deleted the key.</param>
/// <param name="Deleted">True when this version deleted the key.</param>
/// <param name="Writer">The agent that wrote it (<see cref="AgentId.None"/>: from outside any agent).</param>
/// <param name="Time">When it was written, by the context's clock.</param>
public sealed record ContextEntry(ContextScope Scope, string Key, long Version, string? Value, bool Deleted, AgentId Writer, DateTimeOffset Time);
