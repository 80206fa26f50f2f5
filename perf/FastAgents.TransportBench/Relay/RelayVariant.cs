using FastAgents.TransportBench.Compare;

namespace FastAgents.TransportBench.Relay;

/// <summary>The reference: sender → raw-socket middle → receiver over Unix domain sockets, frames copied as bytes.</summary>
internal sealed class RelayVariant : Variant
{
    public override string Name => "relay";

    public override string Description => "relay-send -> relay-middle -> relay-recv, 64-byte frames in 64 KiB blocking writes over Unix domain sockets";

    public override IReadOnlyList<ProcessSpec> Plan(VariantContext context)
    {
        string path = context.NewSocketPath();
        return
        [
            new ProcessSpec("middle", ["relay-middle", "--listen", path, "--warmup", context.Warmup, "--seconds", context.Seconds], WaitForReady: true),
            new ProcessSpec("recv", ["relay-recv", "--connect", path, "--warmup", context.Warmup, "--seconds", context.Seconds], WaitForReady: true),
            new ProcessSpec("send", ["relay-send", "--connect", path, "--warmup", context.Warmup, "--seconds", context.Seconds, "--linger", context.Linger], WaitForReady: false),
        ];
    }
}
