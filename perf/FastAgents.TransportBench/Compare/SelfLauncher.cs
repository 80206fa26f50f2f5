using System.Diagnostics;

namespace FastAgents.TransportBench.Compare;

/// <summary>
/// Starts this executable again. Run through its apphost (<c>dotnet run</c>, or the file directly) the process path is
/// enough; run as <c>dotnet FastAgents.TransportBench.dll</c> the process is the dotnet muxer, and the entry assembly
/// must be passed to it again.
/// </summary>
internal static class SelfLauncher
{
    private static readonly string s_host = Environment.ProcessPath
        ?? throw new InvalidOperationException("Cannot find this process's executable (Environment.ProcessPath is null).");

    private static readonly string? s_entryAssembly = FindEntryAssembly(s_host);

    /// <summary>The command that starts a child, for the report header.</summary>
    public static string Command => s_entryAssembly is null ? s_host : $"{s_host} {s_entryAssembly}";

    public static ProcessStartInfo CreateStartInfo(IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(s_host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (s_entryAssembly is not null)
        {
            info.ArgumentList.Add(s_entryAssembly);
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static string? FindEntryAssembly(string host)
    {
        if (!string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // Under the muxer the first command-line argument is the entry assembly; fall back to this assembly's file.
        string first = Environment.GetCommandLineArgs()[0];
        string entry = first.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(first)
            ? first
            : typeof(SelfLauncher).Assembly.Location;
        return Path.GetFullPath(entry);
    }
}
