namespace FastAgents.TransportBench.Http;

/// <summary>The HTTP variant's message: <c>{"seq":1,"sentTicks":123,"payload":"...64 ASCII chars..."}</c>.</summary>
internal sealed class BenchMessage
{
    /// <summary>64 ASCII characters, so the JSON carries the same 64 bytes of payload as a relay frame is long.</summary>
    public const string StandardPayload = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/";

    public long Seq { get; set; }

    public long SentTicks { get; set; }

    public string Payload { get; set; } = "";
}
