using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using FastAgents.Runtime;
using FastAgents.Runtime.Envelopes;

namespace FastAgents.Orchestration;

/// <summary>
/// An audit journal of messages: a bounded in-memory log of <see cref="JournalRecord"/>s (the oldest dropped first),
/// optionally also appended to rotating files, queryable by run, agent, kind and time.
/// </summary>
/// <remarks>
/// <para>
/// How messages get in: the runtime has no tap on the envelopes it routes (observing every envelope would cost the
/// hot path), so records are made where orchestration sends. An <see cref="Orchestrator"/> given a journal
/// (<see cref="OrchestratorOptions.Journal"/>) records each attempt of each step: the request (kind
/// <see cref="MessageKind.Ask"/>, from <see cref="OrchestratorOptions.Identity"/> to the agent, text = the input)
/// and the reply (kind <see cref="MessageKind.Reply"/>, back, text = the output) or the failure (error set). Agents
/// and services record their own messages with <see cref="Record"/>; whole envelopes (a dead letter's frame, say)
/// go in with <see cref="RecordEnvelope"/>.
/// </para>
/// <para>
/// Thread-safe: records are numbered, timed and appended under one lock, so sequence, time (for a monotonic clock)
/// and file order agree. With a file, each record costs a write to the operating system inside that lock; a
/// file error is counted (<see cref="FileErrors"/>, <see cref="LastFileError"/>) and never thrown to the recorder.
/// </para>
/// </remarks>
public sealed class MessageJournal : IDisposable
{
    private readonly Lock _gate = new();
    private readonly JournalRecord[] _ring;
    private readonly TimeProvider _time;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _json;
    private JournalFileWriter? _file;
    private int _start;
    private int _count;
    private long _sequence;
    private long _dropped;
    private long _fileErrors;
    private Exception? _lastFileError;

    /// <summary>Creates a journal; with <see cref="JournalOptions.File"/>, opens its first file.</summary>
    /// <exception cref="IOException">The file folder cannot be created or the first file opened.</exception>
    public MessageJournal(JournalOptions? options = null)
    {
        Options = options ?? new JournalOptions();
        _ring = new JournalRecord[Options.Capacity];
        _time = Options.Time;
        _json = new Utf8JsonWriter(_line);
        if (Options.File is { } file)
        {
            _file = new JournalFileWriter(file);
        }
    }

    /// <summary>The settings.</summary>
    public JournalOptions Options { get; }

    /// <summary>Records held in memory.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Records dropped from memory to stay within <see cref="JournalOptions.Capacity"/> (still in the files, if any).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The sequence number of the latest record (0 before the first).</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    /// <summary>Records that could not be written to the file.</summary>
    public long FileErrors => Interlocked.Read(ref _fileErrors);

    /// <summary>The latest file error, or null.</summary>
    public Exception? LastFileError => Volatile.Read(ref _lastFileError);

    /// <summary>The file being appended to, or null without a file (or after <see cref="Dispose"/>).</summary>
    public string? CurrentFile
    {
        get
        {
            lock (_gate)
            {
                return _file?.CurrentPath;
            }
        }
    }

    /// <summary>Records one message, timed now by the journal's clock.</summary>
    /// <param name="runId">The run it belongs to, or null.</param>
    /// <param name="from">The sender.</param>
    /// <param name="to">The receiver.</param>
    /// <param name="kind">The kind of message.</param>
    /// <param name="payloadType">The payload type's name, or null.</param>
    /// <param name="text">The message as text, or null.</param>
    /// <param name="payload">The payload bytes; copied, so the caller may reuse its buffer.</param>
    /// <param name="error">What went wrong, or null.</param>
    /// <returns>The record as stored.</returns>
    public JournalRecord Record(string? runId, AgentId from, AgentId to, MessageKind kind, string? payloadType, string? text,
        ReadOnlyMemory<byte> payload = default, string? error = null) =>
        Append(runId, null, from, to, kind, payloadType, text, payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray(), error);

    /// <summary>
    /// Records a whole envelope (header and payload as the runtime lays them out, docs/RUNTIME.md), such as
    /// <see cref="DeadLetter.Frame"/>: sender, target, kind and payload type come from the header, the payload bytes are
    /// copied, and the time is the envelope's stamp when it has one.
    /// </summary>
    /// <exception cref="ArgumentException">The frame is shorter than its header or than the payload it declares.</exception>
    public JournalRecord RecordEnvelope(string? runId, ReadOnlySpan<byte> frame, string? error = null)
    {
        if (frame.Length < EnvelopeHeader.Size)
        {
            throw new ArgumentException($"An envelope has at least {EnvelopeHeader.Size} bytes; this one has {frame.Length}.", nameof(frame));
        }

        EnvelopeHeader header = MemoryMarshal.Read<EnvelopeHeader>(frame);
        long end = (long)header.PayloadOffset + header.PayloadLength;
        if (end > frame.Length)
        {
            throw new ArgumentException($"The envelope declares {end} bytes but has {frame.Length}.", nameof(frame));
        }

        // The stamp is Unix time in nanoseconds; DateTimeOffset counts 100 ns ticks.
        DateTimeOffset? stamped = header.Timestamp > 0 ? DateTimeOffset.UnixEpoch.AddTicks(header.Timestamp / 100) : null;
        byte[] payload = frame.Slice(header.PayloadOffset, (int)header.PayloadLength).ToArray();
        return Append(runId, stamped, header.Sender, header.Target, header.Kind, MessageTypes.Describe(header.PayloadType), null, payload, error);
    }

    /// <summary>Records a dead letter's envelope, with its reason (and exception, if any) as the error.</summary>
    public JournalRecord RecordDeadLetter(string? runId, DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        string reason = letter.Exception is { } e ? $"{letter.Reason}: {e.Message}" : letter.Reason.ToString();
        return RecordEnvelope(runId, letter.Frame.Span, reason);
    }

    /// <summary>The records in memory that match <paramref name="query"/>, oldest first.</summary>
    public IReadOnlyList<JournalRecord> Query(JournalQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        int limit = query.Limit ?? int.MaxValue;
        var found = new List<JournalRecord>();
        lock (_gate)
        {
            for (int i = 0; i < _count && found.Count < limit; i++)
            {
                JournalRecord record = _ring[(_start + i) % _ring.Length];
                if (query.Matches(record))
                {
                    found.Add(record);
                }
            }
        }

        return found;
    }

    /// <summary>The records in memory of run <paramref name="runId"/>, oldest first.</summary>
    public IReadOnlyList<JournalRecord> ForRun(string runId) => Query(new JournalQuery { RunId = runId });

    /// <summary>The records in memory that <paramref name="agent"/> sent or received, oldest first.</summary>
    public IReadOnlyList<JournalRecord> ForAgent(AgentId agent) => Query(new JournalQuery { Agent = agent });

    /// <summary>The records in memory from <paramref name="since"/> (inclusive) to <paramref name="until"/> (exclusive), oldest first.</summary>
    public IReadOnlyList<JournalRecord> Between(DateTimeOffset since, DateTimeOffset until) =>
        Query(new JournalQuery { Since = since, Until = until });

    /// <summary>Every record in memory, oldest first.</summary>
    public IReadOnlyList<JournalRecord> Snapshot() => Query(new JournalQuery());

    /// <summary>Hands what the file writer buffers to the operating system.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _file?.Flush();
        }
    }

    /// <summary>Closes the file. The journal keeps recording in memory afterwards.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
            _json.Dispose();
        }
    }

    private JournalRecord Append(string? runId, DateTimeOffset? time, AgentId from, AgentId to, MessageKind kind, string? payloadType,
        string? text, ReadOnlyMemory<byte> payload, string? error)
    {
        lock (_gate)
        {
            long sequence = _sequence + 1;
            var record = new JournalRecord(sequence, runId, time ?? _time.GetUtcNow(), from, to, kind, payloadType, text, payload, error);
            if (_count == _ring.Length)
            {
                _ring[_start] = record;
                _start = (_start + 1) % _ring.Length;
                Interlocked.Increment(ref _dropped);
            }
            else
            {
                _ring[(_start + _count) % _ring.Length] = record;
                _count++;
            }

            Interlocked.Exchange(ref _sequence, sequence);
            if (_file is not null)
            {
                WriteLine(_file, record);
            }

            return record;
        }
    }

    private void WriteLine(JournalFileWriter file, JournalRecord record)
    {
        try
        {
            _line.ResetWrittenCount();
            _json.Reset(_line);
            JournalFile.Write(_json, record);
            _json.Flush();
            _line.GetSpan(1)[0] = (byte)'\n';
            _line.Advance(1);
            file.Append(_line.WrittenSpan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _fileErrors);
            Volatile.Write(ref _lastFileError, e);
        }
    }
}
