using System.CommandLine;
using FastAgents.Runtime;
using FastAgents.Transport;

namespace FastAgents.Cli.Router;

/// <summary>
/// <c>fastagents echo</c>: joins a router with echo agents (type "echo", keys 0..n-1, capability "echo") that
/// answer every <see cref="EchoMessage"/> ask with the same message and count tells; prints a line per second.
/// Other processes (any language) use it to check their link end to end.
/// </summary>
internal static class EchoCommand
{
    public static readonly AgentType EchoType = AgentType.Register("echo");

    public static Command Create()
    {
        var router = new Option<string?>("--router") { Description = "The router's endpoint: unix:/path, a path, or tcp:host:port (default: the default socket path)." };
        var token = new Option<string?>("--token") { Description = "The router's token." };
        var agents = new Option<int>("--agents") { Description = "Echo agents to run.", DefaultValueFactory = _ => 1 };
        var topic = new Option<string?>("--subscribe") { Description = "Also subscribe every echo agent to this topic." };
        var command = new Command("echo", "Joins a router with echo agents that answer asks with the message they got (type 'echo', keys 0..n-1, capability 'echo'); runs until SIGTERM or Ctrl-C.");
        foreach (Option option in new Option[] { router, token, agents, topic })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            await using var runtime = new AgentRuntime(new RuntimeOptions { Name = "echo" });
            int count = Math.Max(1, result.GetValue(agents));
            AgentId[] ids = runtime.SpawnPool(EchoType, count, static () => new EchoAgent(), new Capability("echo"));
            if (result.GetValue(topic) is { } name)
            {
                foreach (AgentId id in ids)
                {
                    runtime.Subscribe(id, new Topic(name));
                }
            }

            RouterClient? client = await RouterJoin.TryConnectAsync(runtime, result.GetValue(router), result.GetValue(token), "echo", cancellationToken).ConfigureAwait(false);
            if (client is null)
            {
                return 1;
            }

            await using (client.ConfigureAwait(false))
            {
                Console.Out.WriteLine($"READY echo agents={count}");
                await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
                {
                    c.Cancel = true;
                    stop.TrySetResult();
                });
                await using CancellationTokenRegistration cancelled = cancellationToken.Register(() => stop.TrySetResult());
                while (!stop.Task.IsCompleted)
                {
                    await Task.WhenAny(stop.Task, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
                    Console.Out.WriteLine($"echo handled={runtime.MessagesHandled} connected={client.IsConnected} reconnections={client.Reconnections}");
                    await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }
}
