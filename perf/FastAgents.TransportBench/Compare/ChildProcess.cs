using System.Diagnostics;

namespace FastAgents.TransportBench.Compare;

/// <summary>
/// One started role process: watches its stdout for READY and RESULT, keeps the tail of its stderr for failure reports,
/// and kills it (and anything it started) when the orchestrator gives up on it.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int StderrTailLines = 20;

    private readonly Process _process;
    private readonly TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderrTail = new();
    private readonly List<string> _problems = [];
    private readonly Lock _gate = new();
    private ResultRecord? _result;

    private ChildProcess(ProcessSpec spec, Process process)
    {
        Spec = spec;
        _process = process;
    }

    public ProcessSpec Spec { get; }

    public ResultRecord? Result
    {
        get
        {
            lock (_gate)
            {
                return _result;
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    public static ChildProcess Start(ProcessSpec spec)
    {
        var process = new Process { StartInfo = SelfLauncher.CreateStartInfo(spec.Arguments) };
        var child = new ChildProcess(spec, process);
        process.OutputDataReceived += child.OnOutput;
        process.ErrorDataReceived += child.OnError;
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>True once the process printed READY; false on timeout or when its stdout closed first.</summary>
    public bool WaitReady(TimeSpan timeout) => _ready.Task.Wait(timeout) && _ready.Task.Result;

    public bool WaitExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit(); // Drains the redirected streams, so the RESULT line has been seen.
        return true;
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>The label, pid and command line, the exit code if any, and what the process complained about.</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        text.Append($"{Spec.Label} (pid {_process.Id}: {string.Join(' ', Spec.Arguments)})");
        if (_process.HasExited)
        {
            text.Append($", exit code {_process.ExitCode}");
        }

        lock (_gate)
        {
            foreach (string problem in _problems)
            {
                text.Append($"\n    {problem}");
            }

            foreach (string line in _stderrTail)
            {
                text.Append($"\n    stderr: {line}");
            }
        }

        return text.ToString();
    }

    public void Dispose() => _process.Dispose();

    private void OnOutput(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            _ready.TrySetResult(false);
            return;
        }

        if (e.Data == "READY")
        {
            _ready.TrySetResult(true);
        }
        else if (e.Data.StartsWith(ResultRecord.Prefix, StringComparison.Ordinal))
        {
            lock (_gate)
            {
                if (!ResultRecord.TryParse(e.Data, out ResultRecord? record))
                {
                    _problems.Add($"unreadable result line: {e.Data}");
                }
                else if (_result is not null)
                {
                    _problems.Add($"second result line ignored: {e.Data}");
                }
                else
                {
                    _result = record;
                }
            }
        }
    }

    private void OnError(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_stderrTail.Count == StderrTailLines)
            {
                _stderrTail.Dequeue();
            }

            _stderrTail.Enqueue(e.Data);
        }
    }
}
