using System.Diagnostics;
using Xunit;

namespace FastAgents.Transport.Tests;

/// <summary>
/// The real <c>fastagents</c> command (copied beside the tests by the CLI project reference) run as a child
/// process: its output is collected, waits for it are bounded, and disposing kills it if it still runs.
/// </summary>
public sealed class FastAgentsProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();

    private FastAgentsProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything it printed so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts <c>dotnet fastagents.dll</c> with <paramref name="args"/>.</summary>
    public static FastAgentsProcess Start(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "fastagents.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references the CLI project so that it is copied there");
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var child = new FastAgentsProcess(process);
        process.OutputDataReceived += (_, e) => child.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => child.Collect(e.Data);
        Assert.True(process.Start(), "dotnet did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until a line starting with <paramref name="prefix"/> is printed; fails if the process exits first or time runs out.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            lock (_lock)
            {
                if (_lines.FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }
            }

            if (_process.HasExited)
            {
                Assert.Fail($"fastagents exited with code {_process.ExitCode} before printing '{prefix}':\n{Output}");
            }

            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"fastagents did not print '{prefix}' within {timeout.TotalSeconds:0} s:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Freezes the process (SIGSTOP): it stays connected but reads and answers nothing.</summary>
    public void Suspend() => Signal("STOP");

    /// <summary>Asks the process to stop (SIGTERM).</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Kills the process and its children (SIGKILL) and waits for it to be gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(30)), "the killed process did not exit");
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lock (_lock)
            {
                _lines.Add(line);
            }
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        Assert.True(kill.WaitForExit(TimeSpan.FromSeconds(30)) && kill.ExitCode == 0, $"kill -{signal} {_process.Id} failed");
    }
}
