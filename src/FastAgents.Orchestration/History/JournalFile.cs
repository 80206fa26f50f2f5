using System.Globalization;
using System.Text.Json;
using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>
/// The journal's file format, and reading it back. A file is UTF-8 JSON lines, one record per line; absent fields
/// are null (or empty, for the payload):
/// <code>
/// {"seq":7,"run":"r1","time":"2025-01-01T00:00:00.0000000+00:00","from":0,"to":4823749382,"kind":"Ask","type":"StepRequest","text":"...","payload":"AQID","error":"..."}
/// </code>
/// <c>from</c> and <c>to</c> are raw <see cref="AgentId.Value"/>s, <c>kind</c> a <see cref="MessageKind"/> name,
/// <c>payload</c> base64.
/// </summary>
public static class JournalFile
{
    private const string Extension = ".jsonl";

    /// <summary>The journal files of <paramref name="prefix"/> in <paramref name="directory"/>, oldest first (by number); empty when the folder does not exist.</summary>
    public static IReadOnlyList<string> List(string directory, string prefix = "journal")
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var found = new List<(long Number, string Path)>();
        foreach (string path in Directory.EnumerateFiles(directory, prefix + "-*" + Extension))
        {
            if (TryParseNumber(Path.GetFileName(path), prefix, out long number))
            {
                found.Add((number, path));
            }
        }

        found.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        var paths = new string[found.Count];
        for (int i = 0; i < paths.Length; i++)
        {
            paths[i] = found[i].Path;
        }

        return paths;
    }

    /// <summary>Reads the records of one file in order.</summary>
    /// <exception cref="JsonException">A line is not a journal record (a torn last line after a crash is skipped, not thrown).</exception>
    public static IEnumerable<JournalRecord> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadCore(path);
    }

    internal static string FileName(string prefix, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{number:D6}{Extension}");

    internal static bool TryParseNumber(string fileName, string prefix, out long number)
    {
        number = 0;
        if (!fileName.StartsWith(prefix + "-", StringComparison.Ordinal) || !fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> digits = fileName.AsSpan(prefix.Length + 1, fileName.Length - prefix.Length - 1 - Extension.Length);
        return digits.Length > 0 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    internal static void Write(Utf8JsonWriter writer, JournalRecord record)
    {
        writer.WriteStartObject();
        writer.WriteNumber("seq", record.Sequence);
        if (record.RunId is not null)
        {
            writer.WriteString("run", record.RunId);
        }

        writer.WriteString("time", record.Time);
        writer.WriteNumber("from", record.From.Value);
        writer.WriteNumber("to", record.To.Value);
        writer.WriteString("kind", KindName(record.Kind));
        if (record.PayloadType is not null)
        {
            writer.WriteString("type", record.PayloadType);
        }

        if (record.Text is not null)
        {
            writer.WriteString("text", record.Text);
        }

        if (!record.Payload.IsEmpty)
        {
            writer.WriteBase64String("payload", record.Payload.Span);
        }

        if (record.Error is not null)
        {
            writer.WriteString("error", record.Error);
        }

        writer.WriteEndObject();
    }

    internal static JournalRecord Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        long sequence = 0;
        string? run = null;
        string? type = null;
        string? text = null;
        string? error = null;
        DateTimeOffset time = default;
        ulong from = 0;
        ulong to = 0;
        MessageKind kind = MessageKind.None;
        byte[] payload = [];
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A journal line must be a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "seq": sequence = reader.GetInt64(); break;
                case "run": run = reader.GetString(); break;
                case "time": time = reader.GetDateTimeOffset(); break;
                case "from": from = reader.GetUInt64(); break;
                case "to": to = reader.GetUInt64(); break;
                case "kind": kind = Enum.Parse<MessageKind>(reader.GetString() ?? "None"); break;
                case "type": type = reader.GetString(); break;
                case "text": text = reader.GetString(); break;
                case "payload": payload = reader.GetBytesFromBase64(); break;
                case "error": error = reader.GetString(); break;
                default: reader.Skip(); break;
            }
        }

        return new JournalRecord(sequence, run, time, new AgentId(from), new AgentId(to), kind, type, text, payload, error);
    }

    private static IEnumerable<JournalRecord> ReadCore(string path)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        int start = 0;
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                // A line without its newline was cut short while being written: the record never completed.
                yield break;
            }

            if (end > start)
            {
                yield return Parse(bytes.AsSpan(start, end - start));
            }

            start = end + 1;
        }
    }

    private static string KindName(MessageKind kind) => kind switch
    {
        MessageKind.None => "None",
        MessageKind.Tell => "Tell",
        MessageKind.Ask => "Ask",
        MessageKind.Reply => "Reply",
        MessageKind.Publish => "Publish",
        MessageKind.Stop => "Stop",
        _ => kind.ToString(),
    };
}
