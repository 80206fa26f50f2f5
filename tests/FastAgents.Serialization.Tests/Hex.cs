namespace FastAgents.Serialization.Tests;

internal static class Hex
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static byte[] Parse(string spaced) => Convert.FromHexString(spaced.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string Norm(string spaced) => spaced.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
