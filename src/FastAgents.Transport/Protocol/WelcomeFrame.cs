namespace FastAgents.Transport.Protocol;

/// <summary>What the router's welcome says.</summary>
/// <param name="MaxFrame">The largest frame the router accepts.</param>
/// <param name="HeartbeatMs">How often each side should send a heartbeat when it has nothing else to send.</param>
/// <param name="DeadAfterMs">Silence after which the router declares the client dead.</param>
/// <param name="ConnectionId">The router's number for this connection (for logs).</param>
public sealed record WelcomeFrame(int MaxFrame, int HeartbeatMs, int DeadAfterMs, uint ConnectionId);
