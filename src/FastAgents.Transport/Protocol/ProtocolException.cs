namespace FastAgents.Transport.Protocol;

/// <summary>
/// The peer broke the protocol (or refused us): the connection is closed with <see cref="Code"/>, and the message
/// says exactly what was wrong.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProtocolException(ErrorCode code, string message)
        : base(message) => Code = code;

    /// <summary>Creates the exception (code <see cref="ErrorCode.MalformedFrame"/>).</summary>
    public ProtocolException()
        : this(ErrorCode.MalformedFrame, "Malformed frame.")
    {
    }

    /// <summary>Creates the exception (code <see cref="ErrorCode.MalformedFrame"/>).</summary>
    public ProtocolException(string message)
        : this(ErrorCode.MalformedFrame, message)
    {
    }

    /// <summary>Creates the exception (code <see cref="ErrorCode.MalformedFrame"/>).</summary>
    public ProtocolException(string message, Exception inner)
        : base(message, inner) => Code = ErrorCode.MalformedFrame;

    /// <summary>What kind of violation it was; the code an Error frame carries.</summary>
    public ErrorCode Code { get; }
}
