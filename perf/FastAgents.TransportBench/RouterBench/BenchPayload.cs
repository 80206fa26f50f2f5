namespace FastAgents.TransportBench.RouterBench;

/// <summary>The 64-byte payload of the router variant (an unmanaged struct: copied raw, as the wire carries it).</summary>
/// <param name="Sequence">The sender's running number, checked for order by the receiver.</param>
/// <param name="IntendedTicks">Stopwatch timestamp of the intended send time (latency mode), else the send time.</param>
/// <param name="A">Filler up to 64 bytes.</param>
/// <param name="B">Filler.</param>
/// <param name="C">Filler.</param>
/// <param name="D">Filler.</param>
/// <param name="E">Filler.</param>
/// <param name="F">Filler.</param>
public readonly record struct BenchPayload(long Sequence, long IntendedTicks, long A, long B, long C, long D, long E, long F);
