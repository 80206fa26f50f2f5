using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FastAgents.TransportBench.Compare;

/// <summary>
/// What a variant needs to plan one run: the durations as arguments, fresh socket paths and ports. Disposing it
/// deletes the socket files it handed out, in case a killed process left them behind.
/// </summary>
internal sealed class VariantContext : IDisposable
{
    private readonly List<string> _socketPaths = [];

    public VariantContext(CompareOptions options)
    {
        Options = options;
    }

    public CompareOptions Options { get; }

    public string Warmup => Format(Options.WarmupSeconds);

    public string Seconds => Format(Options.Seconds);

    public string Linger => Format(Options.LingerSeconds);

    /// <summary>A new path under the temp directory, short enough for a Unix socket address (108 bytes).</summary>
    public string NewSocketPath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fa-tb-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}.sock");
        _socketPaths.Add(path);
        return path;
    }

    /// <summary>A loopback port that was free a moment ago; the receiver binds it right after, so a clash is unlikely and reported.</summary>
    public static int FreeTcpPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    public static string Format(double seconds) => seconds.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (string path in _socketPaths)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"compare: cannot delete {path}: {e.Message}");
            }
        }
    }
}
