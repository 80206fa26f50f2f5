using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FastAgents.Transport;

/// <summary>
/// Where a router listens: a Unix domain socket (<c>unix:/path</c>, or just a path) or TCP (<c>tcp:host:port</c>).
/// </summary>
public sealed record TransportEndpoint
{
    private TransportEndpoint(string text, EndPoint endPoint, bool isUnix)
    {
        Text = text;
        EndPoint = endPoint;
        IsUnix = isUnix;
    }

    /// <summary>The default socket path: <c>fastagents/router.sock</c> under the temporary directory.</summary>
    public static string DefaultSocketPath => Path.Combine(Path.GetTempPath(), "fastagents", "router.sock");

    /// <summary>The endpoint as written.</summary>
    public string Text { get; }

    /// <summary>The socket address.</summary>
    public EndPoint EndPoint { get; }

    /// <summary>True for a Unix domain socket, false for TCP.</summary>
    public bool IsUnix { get; }

    /// <summary>The socket file's path (Unix sockets only).</summary>
    public string? SocketPath => (EndPoint as UnixDomainSocketEndPoint)?.ToString();

    /// <summary>Parses <c>unix:/path</c>, <c>/path</c>, <c>tcp:host:port</c> or <c>tcp:[v6]:port</c>.</summary>
    /// <exception cref="FormatException">The text is none of those.</exception>
    public static TransportEndpoint Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.StartsWith("tcp:", StringComparison.Ordinal))
        {
            string rest = text[4..];
            int colon = rest.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 0 or > 65535)
            {
                throw new FormatException($"'{text}' is not tcp:host:port.");
            }

            string host = rest[..colon].Trim('[', ']');
            EndPoint endPoint = IPAddress.TryParse(host, out IPAddress? address)
                ? new IPEndPoint(address, port)
                : new DnsEndPoint(host, port);
            return new TransportEndpoint(text, endPoint, isUnix: false);
        }

        string path = text.StartsWith("unix:", StringComparison.Ordinal) ? text[5..] : text;
        if (path.Length == 0)
        {
            throw new FormatException($"'{text}' names no socket path.");
        }

        return new TransportEndpoint(text, new UnixDomainSocketEndPoint(path), isUnix: true);
    }

    /// <summary>A new stream socket of the right family.</summary>
    public Socket CreateSocket()
    {
        if (IsUnix)
        {
            return new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        return socket;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
