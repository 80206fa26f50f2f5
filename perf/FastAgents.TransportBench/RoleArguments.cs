using System.Globalization;

namespace FastAgents.TransportBench;

/// <summary>
/// A role's options, all of the form <c>--name value</c>. A role reads what it knows, then calls
/// <see cref="RejectUnknown"/> so that a misspelt option is an error instead of a silent default.
/// </summary>
internal sealed class RoleArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private RoleArguments(Dictionary<string, string> values)
    {
        _values = values;
    }

    public static RoleArguments Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            string token = args[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
            {
                throw new UsageException($"unexpected argument '{token}': options are written --name value.");
            }

            if (i + 1 >= args.Length)
            {
                throw new UsageException($"option {token} needs a value.");
            }

            if (!values.TryAdd(token[2..], args[i + 1]))
            {
                throw new UsageException($"option {token} is given twice.");
            }
        }

        return new RoleArguments(values);
    }

    public string GetString(string name) =>
        GetOptionalString(name) ?? throw Missing(name, "");

    public string? GetOptionalString(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out string? value) ? value : null;
    }

    /// <summary>A duration in seconds: finite, and positive (or zero when <paramref name="allowZero"/>).</summary>
    public double GetSeconds(string name, double? defaultValue, bool allowZero)
    {
        string? text = GetOptionalString(name);
        if (text is null)
        {
            return defaultValue ?? throw Missing(name, " (seconds)");
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value) || value < 0 || (value == 0 && !allowZero))
        {
            string expected = allowZero ? "a number of seconds >= 0" : "a number of seconds > 0";
            throw new UsageException($"--{name} must be {expected}, got '{text}'.");
        }

        return value;
    }

    public int GetInt(string name, int? defaultValue, int min, int max)
    {
        string? text = GetOptionalString(name);
        if (text is null)
        {
            return defaultValue ?? throw Missing(name, " (an integer)");
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be an integer from {min} to {max}, got '{text}'.");
        }

        return value;
    }

    /// <summary>Names the options not read yet too: a missing option is often a misspelt one.</summary>
    private UsageException Missing(string name, string kind)
    {
        List<string> unread = [.. _values.Keys.Where(k => !_read.Contains(k)).Select(k => "--" + k)];
        string hint = unread.Count > 0 ? $"; not recognized so far: {string.Join(", ", unread)}" : "";
        return new UsageException($"missing required option --{name}{kind}{hint}.");
    }

    public void RejectUnknown()
    {
        List<string> unknown = [.. _values.Keys.Where(k => !_read.Contains(k)).Select(k => "--" + k)];
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown)}.");
        }
    }
}
