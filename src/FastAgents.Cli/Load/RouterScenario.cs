using System.Diagnostics;
using System.Globalization;
using FastAgents.Cli.Router;
using FastAgents.Perf.Load;
using FastAgents.Perf.Reports;
using FastAgents.Runtime;
using FastAgents.Transport;

namespace FastAgents.Cli.Load;

/// <summary>
/// The router scenario: this process sends from <see cref="LoadSettings.Connections"/> runtimes, each joined to the
/// router by its own client, to target agents hosted by <see cref="LoadSettings.TargetProcesses"/> child processes
/// (<c>fastagents load-target</c>), or by one more runtime in this process with a connection of its own. Every
/// message crosses the router: a tell's latency ends when the target's acknowledgement is back (two crossings, as
/// an ask's does), since a process can only learn of a handling elsewhere by a message.
/// </summary>
internal static class RouterScenario
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);

    public static LoadReport Run<TMessage>(LoadSettings settings, LoadProgress? progress, CancellationToken cancellationToken)
        where TMessage : ILoadMessage<TMessage>
    {
        string router = settings.Router!;
        var acks = new AckPool(settings.ExpectedInFlight);
        var runtimes = new List<AgentRuntime>();
        var clients = new List<RouterClient>();
        var children = new List<TargetProcess>();
        try
        {
            // The senders join first: an unreachable router is reported before any target process starts.
            var senders = new AgentRuntime[settings.Connections];
            for (int c = 0; c < senders.Length; c++)
            {
                senders[c] = new AgentRuntime(settings.RuntimeOptions($"load-{c}", pin: true));
                runtimes.Add(senders[c]);
                senders[c].Spawn(AckAgent.Type, (uint)c, () => new AckAgent(acks));
                clients.Add(Connect(senders[c], settings, $"load-{c}", cancellationToken));
            }

            if (settings.TargetProcesses == 0)
            {
                var host = new AgentRuntime(settings.RuntimeOptions("load-targets"));
                runtimes.Add(host);
                SpawnTargets<TMessage>(host, 0, settings);
                clients.Add(Connect(host, settings, "load-targets", cancellationToken));
            }
            else
            {
                for (int p = 0; p < settings.TargetProcesses; p++)
                {
                    children.Add(TargetProcess.Start(settings, (uint)(p * settings.Agents)));
                }

                foreach (TargetProcess child in children)
                {
                    child.WaitUntilReady(s_readyTimeout);
                }
            }

            var agents = new AgentId[settings.TotalAgents];
            for (int i = 0; i < agents.Length; i++)
            {
                agents[i] = new AgentId(LoadScenario.TargetType, (uint)i);
            }

            foreach (AgentRuntime sender in senders)
            {
                WaitUntilReachable<TMessage>(sender, agents, settings.PayloadBytes, children, cancellationToken);
            }

            var target = new RuntimeTarget<TMessage>(senders, agents, settings.LeastBusy ? LoadScenario.Targets : (Capability?)null, settings.Mode, settings.PayloadBytes, acks);
            return LoadScenario.Drive(target, settings, progress, cancellationToken);
        }
        finally
        {
            foreach (RouterClient client in clients)
            {
                client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            foreach (AgentRuntime runtime in runtimes)
            {
                runtime.Dispose();
            }

            foreach (TargetProcess child in children)
            {
                child.Dispose();
            }
        }
    }

    /// <summary>Spawns this process's share of the target agents (keys from <paramref name="firstKey"/>).</summary>
    public static AgentId[] SpawnTargets<TMessage>(AgentRuntime runtime, uint firstKey, LoadSettings settings)
        where TMessage : ILoadMessage<TMessage> =>
        LoadScenario.SpawnTargets(runtime, firstKey, settings.Agents, settings.LeastBusy, static () => new TargetAgent<TMessage>(null));

    /// <summary>Joins <paramref name="runtime"/> to the router of <paramref name="settings"/>.</summary>
    public static RouterClient Connect(AgentRuntime runtime, LoadSettings settings, string name, CancellationToken cancellationToken)
    {
        try
        {
            var options = new RouterClientOptions { Endpoint = settings.Router!, Token = settings.Token, Name = name };
            options = options with { IdleSpin = settings.IdleSpin ?? options.IdleSpin, IdleYield = settings.IdleYield ?? options.IdleYield };
            return RouterClient.ConnectAsync(runtime, options, cancellationToken)
                .GetAwaiter().GetResult();
        }
        catch (Exception ex) when (RouterJoin.IsJoinFailure(ex))
        {
            throw new LoadSetupException($"cannot join the router at {settings.Router}: {ex.Message}", ex);
        }
    }

    /// <summary>Asks every target agent from <paramref name="sender"/> until each answers: the router then knows them all.</summary>
    private static void WaitUntilReachable<TMessage>(AgentRuntime sender, AgentId[] agents, int payloadBytes, List<TargetProcess> children, CancellationToken cancellationToken)
        where TMessage : ILoadMessage<TMessage>
    {
        long deadline = Environment.TickCount64 + (long)s_readyTimeout.TotalMilliseconds;
        foreach (AgentId agent in agents)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (TargetProcess child in children)
                {
                    child.ThrowIfExited();
                }

                try
                {
                    TMessage probe = TMessage.Create(-1, payloadBytes);
                    sender.AskAsync<TMessage, LoadAck>(agent, in probe, TimeSpan.FromSeconds(5)).AsTask().GetAwaiter().GetResult();
                    break;
                }
                catch (Exception ex) when (ex is UndeliverableException or TimeoutException && Environment.TickCount64 < deadline)
                {
                    Thread.Sleep(20);
                }
                catch (Exception ex) when (ex is UndeliverableException or TimeoutException)
                {
                    throw new LoadSetupException($"target agent {agent} did not answer through the router within {s_readyTimeout.TotalSeconds:0} s: {ex.Message}", ex);
                }
            }
        }
    }

    /// <summary>A <c>fastagents load-target</c> child: ready when it prints READY; ends when its standard input closes.</summary>
    private sealed class TargetProcess : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _errors = [];

        private TargetProcess(Process process) => _process = process;

        public static TargetProcess Start(LoadSettings settings, uint firstKey)
        {
            var info = new ProcessStartInfo
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            string self = Environment.ProcessPath ?? throw new LoadSetupException("cannot find this program's path to start target processes");
            info.FileName = self;
            if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                info.ArgumentList.Add(typeof(Program).Assembly.Location);
            }

            foreach (string arg in LoadTargetCommand.Arguments(settings, firstKey))
            {
                info.ArgumentList.Add(arg);
            }

            var process = new Process { StartInfo = info };
            var child = new TargetProcess(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && line.StartsWith(LoadTargetCommand.ReadyLine, StringComparison.Ordinal))
                {
                    child._ready.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lock (child._errors)
                    {
                        child._errors.Add(line);
                    }
                }
            };
            if (!process.Start())
            {
                throw new LoadSetupException($"cannot start {self}");
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        public void WaitUntilReady(TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (!_ready.Task.Wait(50))
            {
                ThrowIfExited();
                if (watch.Elapsed > timeout)
                {
                    throw new LoadSetupException($"a target process did not get ready within {timeout.TotalSeconds:0} s{Errors()}");
                }
            }
        }

        public void ThrowIfExited()
        {
            if (_process.HasExited)
            {
                throw new LoadSetupException(string.Create(CultureInfo.InvariantCulture, $"a target process exited with code {_process.ExitCode}{Errors()}"));
            }
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close(); // the child's signal to leave
                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // Already gone (or never started): nothing to end.
            }

            _process.Dispose();
        }

        private string Errors()
        {
            lock (_errors)
            {
                return _errors.Count == 0 ? string.Empty : ": " + string.Join(" | ", _errors.TakeLast(5));
            }
        }
    }
}

/// <summary>A router run could not be set up (the router is unreachable, a target process failed); the message says why.</summary>
internal sealed class LoadSetupException(string message, Exception? inner = null) : Exception(message, inner);
