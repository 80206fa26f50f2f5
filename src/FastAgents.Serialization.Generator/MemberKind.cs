namespace FastAgents.Serialization.Generator;

/// <summary>How a member is written, which decides the code emitted for it.</summary>
internal enum MemberKind
{
    /// <summary>A padding-free unmanaged value copied as raw bytes (primitives, enums, a few BCL structs).</summary>
    Raw,

    /// <summary>A string.</summary>
    String,

    /// <summary>An array of raw values, copied as one block.</summary>
    UnmanagedArray,

    /// <summary>Anything else, through the formatter cache.</summary>
    Value,
}
