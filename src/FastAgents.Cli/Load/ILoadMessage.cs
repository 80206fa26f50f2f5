namespace FastAgents.Cli.Load;

/// <summary>A message <c>fastagents load</c> sends: it carries an 8-byte tag the target hands back.</summary>
/// <typeparam name="TSelf">The message type itself.</typeparam>
internal interface ILoadMessage<TSelf>
    where TSelf : ILoadMessage<TSelf>
{
    /// <summary>Serialized payload bytes of one message of this type, or null when <see cref="Create"/> decides it.</summary>
    static abstract int? FixedSize { get; }

    /// <summary>A message with <paramref name="tag"/> whose serialized payload is <paramref name="payloadBytes"/> bytes.</summary>
    static abstract TSelf Create(long tag, int payloadBytes);

    /// <summary>The tag of <paramref name="message"/> (static and by reference: no copy of a large struct).</summary>
    static abstract long TagOf(in TSelf message);
}
