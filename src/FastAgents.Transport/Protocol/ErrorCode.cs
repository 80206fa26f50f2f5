namespace FastAgents.Transport.Protocol;

/// <summary>The codes an <see cref="FrameKind.Error"/> frame carries; each closes the connection.</summary>
public enum ErrorCode : ushort
{
    /// <summary>No error (a <see cref="FrameKind.Close"/> with this code is an orderly goodbye).</summary>
    None = 0,

    /// <summary>The first frame was not a hello with the protocol's magic.</summary>
    BadMagic = 1,

    /// <summary>The peer speaks a protocol version this side does not.</summary>
    UnsupportedVersion = 2,

    /// <summary>The hello's token did not match the router's.</summary>
    Unauthorized = 3,

    /// <summary>A frame's length exceeds the maximum frame size.</summary>
    FrameTooLarge = 4,

    /// <summary>A frame's fields disagree with its length or with each other.</summary>
    MalformedFrame = 5,

    /// <summary>A frame's kind byte is not one of the protocol's.</summary>
    UnknownKind = 6,

    /// <summary>A frame that is not allowed in this state or direction (an envelope before the hello, a second hello).</summary>
    UnexpectedFrame = 7,

    /// <summary>The hello did not arrive in time.</summary>
    HandshakeTimeout = 8,

    /// <summary>Nothing arrived from the peer within the dead-peer time.</summary>
    HeartbeatTimeout = 9,

    /// <summary>Another connection already uses the hello's node agent.</summary>
    NodeInUse = 10,

    /// <summary>The router is shutting down.</summary>
    ShuttingDown = 11,

    /// <summary>The router has as many connections as it accepts.</summary>
    TooManyConnections = 12,

    /// <summary>The peer does not read what is sent to it, and its queue reached the limit.</summary>
    SlowReader = 13,
}
