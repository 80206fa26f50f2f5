namespace FastAgents.Serialization.Generator;

/// <summary>How a member gets its value when an object is read.</summary>
internal enum SetterKind
{
    /// <summary>Assignable after construction.</summary>
    Settable,

    /// <summary>An init accessor: only in the object initializer.</summary>
    Init,

    /// <summary>Only through a constructor parameter.</summary>
    Constructor,
}
