namespace FastAgents.Gate.Comparison;

/// <summary>What one gate case measured: our figure, the peer's from the same run, their ratio, and bytes per operation.</summary>
/// <param name="Name">The case's name, as in the baseline file.</param>
/// <param name="Unit">Unit of <paramref name="Ours"/> and <paramref name="Peer"/>: <c>op/s</c> (higher is better) or <c>ns</c> (lower is better).</param>
/// <param name="Ours">Our figure (the best of our rounds).</param>
/// <param name="Peer">The peer's figure (the best of its rounds).</param>
/// <param name="Ratio">How many times better we are than the peer; higher is better whatever the unit.</param>
/// <param name="OursBytesPerOp">Bytes our side allocated per operation, rounded to a whole byte.</param>
/// <param name="PeerBytesPerOp">Bytes the peer allocated per operation, rounded to a whole byte (shown, not checked).</param>
public sealed record CaseMeasurement(string Name, string Unit, double Ours, double Peer, double Ratio, long OursBytesPerOp, long PeerBytesPerOp)
{
    /// <summary>Unit of a throughput: operations per second.</summary>
    public const string PerSecond = "op/s";

    /// <summary>Unit of a latency: nanoseconds.</summary>
    public const string Nanoseconds = "ns";
}
