namespace FastAgents.Cli.Load;

/// <summary>The reply to an ask: the request's tag, handed back.</summary>
/// <param name="Tag">The tag of the request answered.</param>
internal readonly record struct LoadAck(long Tag);
