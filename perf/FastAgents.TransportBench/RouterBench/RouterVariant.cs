using System.Globalization;
using FastAgents.TransportBench.Compare;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>
/// Ours: router-send (runtime + RouterClient) -> router-middle (RouterServer) -> router-recv (runtime + RouterClient).
/// As fast as the link takes them by default; with a rate, at intended times (open model), the receiver writing its
/// latency percentiles to <paramref name="latencyOut"/>.
/// </summary>
internal sealed class RouterVariant(int rate = 0, string? latencyOut = null, IdleWait? idle = null, string? pacing = null) : Variant
{
    public override string Name => "router";

    public override string Description => "runtime Tell of a 64-byte struct -> RouterClient -> router daemon core -> RouterClient -> agent, over Unix domain sockets";

    public override IReadOnlyList<ProcessSpec> Plan(VariantContext context)
    {
        string path = context.NewSocketPath();
        List<string> recv = ["router-recv", "--connect", path, "--warmup", context.Warmup, "--seconds", context.Seconds];
        List<string> send = ["router-send", "--connect", path, "--warmup", context.Warmup, "--seconds", context.Seconds, "--linger", context.Linger];
        if (latencyOut is not null)
        {
            recv.AddRange(["--latency-out", latencyOut]);
        }

        if (idle is { } wait)
        {
            recv.AddRange(wait.Arguments());
            send.AddRange(wait.Arguments());
        }

        if (rate > 0)
        {
            send.AddRange(["--rate", rate.ToString(CultureInfo.InvariantCulture)]);
            if (pacing is not null)
            {
                send.AddRange(["--pacing", pacing]);
            }
        }

        return
        [
            new ProcessSpec("middle", ["router-middle", "--listen", path, "--warmup", context.Warmup, "--seconds", context.Seconds], WaitForReady: true),
            new ProcessSpec("recv", recv, WaitForReady: true),
            new ProcessSpec("send", send, WaitForReady: false),
        ];
    }
}
