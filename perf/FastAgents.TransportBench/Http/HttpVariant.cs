using System.Globalization;
using FastAgents.TransportBench.Compare;

namespace FastAgents.TransportBench.Http;

/// <summary>The common-practice peer: HttpClient posting JSON to a Kestrel minimal API, many requests in flight.</summary>
internal sealed class HttpVariant : Variant
{
    public override string Name => "http";

    public override string Description => "http-send (HttpClient, System.Text.Json) -> http-recv (Kestrel minimal API), POST /msg answered 204";

    public override IReadOnlyList<ProcessSpec> Plan(VariantContext context)
    {
        string port = VariantContext.FreeTcpPort().ToString(CultureInfo.InvariantCulture);
        string concurrency = context.Options.HttpConcurrency.ToString(CultureInfo.InvariantCulture);
        return
        [
            new ProcessSpec("recv", ["http-recv", "--port", port, "--warmup", context.Warmup, "--seconds", context.Seconds], WaitForReady: true),
            new ProcessSpec(
                "send",
                ["http-send", "--port", port, "--concurrency", concurrency, "--warmup", context.Warmup, "--seconds", context.Seconds, "--linger", context.Linger],
                WaitForReady: false),
        ];
    }
}
