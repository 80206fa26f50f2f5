using FastAgents.TransportBench.Compare;

namespace FastAgents.TransportBench.RouterBench;

/// <summary>Ours: router-send (runtime + RouterClient) -> router-middle (RouterServer) -> router-recv (runtime + RouterClient).</summary>
internal sealed class RouterVariant : Variant
{
    public override string Name => "router";

    public override string Description => "runtime Tell of a 64-byte struct -> RouterClient -> router daemon core -> RouterClient -> agent, over Unix domain sockets";

    public override IReadOnlyList<ProcessSpec> Plan(VariantContext context)
    {
        string path = context.NewSocketPath();
        return
        [
            new ProcessSpec("middle", ["router-middle", "--listen", path, "--warmup", context.Warmup, "--seconds", context.Seconds], WaitForReady: true),
            new ProcessSpec("recv", ["router-recv", "--connect", path, "--warmup", context.Warmup, "--seconds", context.Seconds], WaitForReady: true),
            new ProcessSpec("send", ["router-send", "--connect", path, "--warmup", context.Warmup, "--seconds", context.Seconds, "--linger", context.Linger], WaitForReady: false),
        ];
    }
}
