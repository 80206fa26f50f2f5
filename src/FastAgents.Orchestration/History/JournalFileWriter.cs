namespace FastAgents.Orchestration;

/// <summary>
/// Appends journal lines to numbered files with size-based rotation (see <see cref="JournalFileOptions"/>).
/// Not thread-safe: the journal calls it under its lock, which also keeps file order equal to sequence order.
/// </summary>
internal sealed class JournalFileWriter : IDisposable
{
    private readonly JournalFileOptions _options;
    private readonly Queue<string> _files = new();
    private FileStream? _stream;
    private long _number;
    private long _length;

    public JournalFileWriter(JournalFileOptions options)
    {
        _options = options;
        Directory.CreateDirectory(options.Directory);
        IReadOnlyList<string> existing = JournalFile.List(options.Directory, options.Prefix);
        foreach (string path in existing)
        {
            _files.Enqueue(path);
        }

        // Append-only: a new journal never writes into a file an earlier one left behind.
        _number = existing.Count == 0 ? 0 : NumberOf(existing[^1]);
        Open();
    }

    /// <summary>The file being written.</summary>
    public string CurrentPath { get; private set; } = "";

    /// <summary>Appends one whole line (its newline included), first moving to a new file when it would not fit.</summary>
    public void Append(ReadOnlySpan<byte> line)
    {
        if (_length > 0 && _length + line.Length > _options.MaxFileBytes)
        {
            Open();
        }

        FileStream stream = _stream ?? throw new ObjectDisposedException(nameof(MessageJournal));
        stream.Write(line);
        _length += line.Length;
        if (_options.FlushEachRecord)
        {
            stream.Flush();
        }
    }

    public void Flush() => _stream?.Flush();

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    private void Open()
    {
        _stream?.Dispose();
        _stream = null;
        _number++;
        CurrentPath = Path.Combine(_options.Directory, JournalFile.FileName(_options.Prefix, _number));
        _stream = new FileStream(CurrentPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 16 * 1024);
        _length = 0;
        _files.Enqueue(CurrentPath);
        while (_options.MaxFiles > 0 && _files.Count > _options.MaxFiles)
        {
            File.Delete(_files.Dequeue());
        }
    }

    private long NumberOf(string path) =>
        JournalFile.TryParseNumber(Path.GetFileName(path), _options.Prefix, out long number) ? number : 0;
}
