using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FastAgents.TransportBench;

/// <summary>
/// The one line a role prints about its measured window, and its parsed form:
/// <c>RESULT role=recv messages=123 seconds=3.000012 errors=0 alloc_bytes=0</c>.
/// </summary>
internal sealed class ResultRecord
{
    public const string Prefix = "RESULT ";

    public required string Role { get; init; }

    public required long Messages { get; init; }

    public required double Seconds { get; init; }

    public long Errors { get; init; }

    public long AllocatedBytes { get; init; }

    public double MessagesPerSecond => Seconds > 0 ? Messages / Seconds : 0;

    public static string Format(string role, MeasuredWindow window, long errors) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Prefix}role={role} messages={window.Messages} seconds={window.Seconds:F6} errors={errors} alloc_bytes={window.AllocatedBytes}");

    public static bool TryParse(string line, [NotNullWhen(true)] out ResultRecord? record)
    {
        record = null;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        string? role = null;
        long messages = -1;
        double seconds = -1;
        long errors = 0;
        long allocated = 0;
        foreach (string field in line[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            string value = field[(equals + 1)..];
            bool ok = field[..equals] switch
            {
                "role" => (role = value).Length > 0,
                "messages" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out messages),
                "seconds" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds),
                "errors" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out errors),
                "alloc_bytes" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out allocated),
                _ => true, // Unknown fields are for humans; newer roles may add some.
            };
            if (!ok)
            {
                return false;
            }
        }

        if (role is null || messages < 0 || seconds < 0)
        {
            return false;
        }

        record = new ResultRecord { Role = role, Messages = messages, Seconds = seconds, Errors = errors, AllocatedBytes = allocated };
        return true;
    }
}
