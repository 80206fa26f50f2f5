namespace FastAgents.Serialization.Internal;

/// <summary>The reserved values of the wire format.</summary>
internal static class WireCode
{
    /// <summary>Object header of a null reference.</summary>
    public const byte NullObject = 255;

    /// <summary>First reserved object header value (250-254); also the wide union tag marker.</summary>
    public const byte Reserved = 250;

    /// <summary>Union header byte that announces a ushort tag.</summary>
    public const byte WideTag = 250;

    /// <summary>Collection or string length of null.</summary>
    public const int NullCollection = -1;

    public const int MaxMemberCount = 249;

    public const sbyte VarIntMinSingle = -120;
    public const sbyte VarIntByte = -121;
    public const sbyte VarIntSByte = -122;
    public const sbyte VarIntUInt16 = -123;
    public const sbyte VarIntInt16 = -124;
    public const sbyte VarIntUInt32 = -125;
    public const sbyte VarIntInt32 = -126;
    public const sbyte VarIntUInt64 = -127;
    public const sbyte VarIntInt64 = -128;
}
