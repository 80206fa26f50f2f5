namespace FastAgents.Cli.Load;

/// <summary>The 8-byte load message: the tag alone, copied into the ring slot as it is.</summary>
/// <param name="Tag">What the target hands back.</param>
internal readonly record struct TagMessage(long Tag) : ILoadMessage<TagMessage>
{
    public static int? FixedSize => sizeof(long);

    public static TagMessage Create(long tag, int payloadBytes) => new(tag);

    public static long TagOf(in TagMessage message) => message.Tag;
}
