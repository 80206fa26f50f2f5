using FastAgents.Runtime;

namespace FastAgents.Transport.Protocol;

/// <summary>What a client's hello says.</summary>
/// <param name="NodeAgent">The client's node agent (type ffffffff): replies to its outside asks are addressed to it.</param>
/// <param name="MaxFrame">The largest frame the client accepts.</param>
/// <param name="HeartbeatMs">How often the client sends heartbeats.</param>
/// <param name="Name">The client's name, for logs and metrics.</param>
/// <param name="Token">The authentication token (empty when none).</param>
public sealed record HelloFrame(AgentId NodeAgent, int MaxFrame, int HeartbeatMs, string Name, byte[] Token);
