namespace FastAgents.Transport.Protocol;

/// <summary>
/// The kind byte of a frame (offset 5). Kinds 1 to 5 are envelopes, whose 56-byte header is the frame's header
/// (the same values as <see cref="Runtime.MessageKind"/>); kinds from 0x10 are control frames.
/// </summary>
public enum FrameKind : byte
{
    /// <summary>An envelope: one-way message.</summary>
    Tell = 1,

    /// <summary>An envelope: a request that expects a reply.</summary>
    Ask = 2,

    /// <summary>An envelope: the reply to an ask.</summary>
    Reply = 3,

    /// <summary>An envelope: a message to a topic's subscribers.</summary>
    Publish = 4,

    /// <summary>An envelope: asks an agent to stop.</summary>
    Stop = 5,

    /// <summary>Client to router, first frame: magic, version, node agent, name, token.</summary>
    Hello = 0x10,

    /// <summary>Router to client, the answer to a good hello: limits and timings.</summary>
    Welcome = 0x11,

    /// <summary>Client to router: an agent of the client's, with its capabilities.</summary>
    Register = 0x12,

    /// <summary>Client to router: an agent of the client's has stopped.</summary>
    Deregister = 0x13,

    /// <summary>Client to router: an agent of the client's subscribes to a topic.</summary>
    Subscribe = 0x14,

    /// <summary>Client to router: a subscription ends.</summary>
    Unsubscribe = 0x15,

    /// <summary>Both ways: I am alive; the client's carries its backlog.</summary>
    Heartbeat = 0x16,

    /// <summary>Both ways: an envelope could not be delivered (reason and the envelope's header).</summary>
    Undeliverable = 0x17,

    /// <summary>Router to clients: agents that left with their process.</summary>
    Gone = 0x18,

    /// <summary>Both ways: a protocol error (code and text); the sender closes the connection after it.</summary>
    Error = 0x1E,

    /// <summary>Both ways: an orderly goodbye.</summary>
    Close = 0x1F,
}
