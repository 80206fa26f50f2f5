namespace FastAgents.Orchestration;

/// <summary>
/// Where and how a <see cref="MessageJournal"/> appends its records: files <c>{Prefix}-{number:D6}.jsonl</c> in
/// <see cref="Directory"/>, one JSON object per line (format in <see cref="JournalFile"/>).
/// </summary>
/// <remarks>
/// Files are only ever appended to. A journal starts a new file numbered after the highest already there (a restart
/// never writes into an old file), moves to the next number when a record would take the current file past
/// <see cref="MaxFileBytes"/>, and then deletes the oldest files beyond <see cref="MaxFiles"/>.
/// </remarks>
public sealed record JournalFileOptions
{
    /// <summary>Creates file settings for <paramref name="directory"/> (created when missing).</summary>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    public JournalFileOptions(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
    }

    /// <summary>The folder the files are in.</summary>
    public string Directory { get; }

    /// <summary>The start of every file name. Default "journal".</summary>
    public string Prefix
    {
        get;
        init => field = !string.IsNullOrEmpty(value) && value.IndexOfAny(Path.GetInvalidFileNameChars()) < 0
            ? value
            : throw new ArgumentException("The prefix must be a non-empty file name.", nameof(Prefix));
    } = "journal";

    /// <summary>The size at which a file is closed and the next begun; a single larger record gets a file of its own. Default 16 MiB.</summary>
    public long MaxFileBytes
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), value, "At least one byte.");
    } = 16L << 20;

    /// <summary>How many files are kept, the current one included; 0 keeps them all. Default 8.</summary>
    public int MaxFiles
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFiles), value, "Cannot be negative.");
    } = 8;

    /// <summary>When true (the default), each record is handed to the operating system as it is written, not kept in a process buffer.</summary>
    public bool FlushEachRecord { get; init; } = true;
}
