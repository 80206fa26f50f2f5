namespace FastAgents.Serialization;

/// <summary>How strings are written. Reading always accepts both forms.</summary>
public enum FastStringEncoding
{
    /// <summary>
    /// <c>[~utf8ByteCount : int32][utf16Length : int32][UTF-8 bytes]</c>: MemoryPack's default form.
    /// </summary>
    Utf8 = 0,

    /// <summary><c>[utf16Length : int32][UTF-16LE code units]</c>.</summary>
    Utf16 = 1,
}
