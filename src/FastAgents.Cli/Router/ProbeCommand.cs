using System.CommandLine;
using FastAgents.Runtime;
using FastAgents.Transport;

namespace FastAgents.Cli.Router;

/// <summary>
/// <c>fastagents probe</c> (hidden): joins a router and asks one agent of another process (type name and key) an
/// <see cref="EchoMessage"/> <c>--count</c> times, checking that each reply equals the request; prints
/// <c>probe ok=N failed=M</c> and exits with 0 only when every ask was answered correctly. Client libraries in other
/// languages use it to check that their agents answer asks from a .NET process.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var router = new Option<string?>("--router") { Description = "The router's endpoint: unix:/path, a path, or tcp:host:port (default: the default socket path)." };
        var token = new Option<string?>("--token") { Description = "The router's token." };
        var type = new Option<string>("--type") { Description = "Agent type name of the agent to ask.", DefaultValueFactory = _ => "echo" };
        var key = new Option<uint>("--key") { Description = "Key of the agent to ask.", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--count") { Description = "Asks to make, one after another.", DefaultValueFactory = _ => 10 };
        var timeout = new Option<int>("--timeout-ms") { Description = "Timeout of each ask in milliseconds.", DefaultValueFactory = _ => 2000 };
        var wait = new Option<int>("--wait-ms") { Description = "How long the first ask is retried while the agent is unknown to the router.", DefaultValueFactory = _ => 10_000 };
        var command = new Command("probe", "Asks an agent of another process an EchoMessage N times and checks the replies.") { Hidden = true };
        foreach (Option option in new Option[] { router, token, type, key, count, timeout, wait })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            await using var runtime = new AgentRuntime(new RuntimeOptions { Name = "probe" });
            RouterClient? client = await RouterJoin.TryConnectAsync(runtime, result.GetValue(router), result.GetValue(token), "probe", cancellationToken).ConfigureAwait(false);
            if (client is null)
            {
                return 1;
            }

            await using (client.ConfigureAwait(false))
            {
                var target = new AgentId(AgentType.Register(result.GetValue(type) ?? "echo"), result.GetValue(key));
                TimeSpan askTimeout = TimeSpan.FromMilliseconds(Math.Max(1, result.GetValue(timeout)));
                long waitUntil = Environment.TickCount64 + Math.Max(0, result.GetValue(wait));
                int total = Math.Max(1, result.GetValue(count));
                int ok = 0;
                int failed = 0;
                for (int i = 0; i < total; i++)
                {
                    var request = new EchoMessage(i, (i * 7919L) ^ 0x5A5A);
                    while (true)
                    {
                        try
                        {
                            EchoMessage reply = await runtime.AskAsync<EchoMessage, EchoMessage>(target, request, askTimeout).ConfigureAwait(false);
                            if (reply == request)
                            {
                                ok++;
                            }
                            else
                            {
                                failed++;
                                await Console.Error.WriteLineAsync($"fastagents probe: ask {i} answered {reply}, expected {request}").ConfigureAwait(false);
                            }

                            break;
                        }
                        catch (UndeliverableException) when (ok == 0 && failed == 0 && Environment.TickCount64 < waitUntil)
                        {
                            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is UndeliverableException or TimeoutException)
                        {
                            failed++;
                            await Console.Error.WriteLineAsync($"fastagents probe: ask {i} failed: {ex.Message}").ConfigureAwait(false);
                            break;
                        }
                    }
                }

                Console.Out.WriteLine($"probe ok={ok} failed={failed}");
                await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                return failed == 0 ? 0 : 1;
            }
        });
        return command;
    }
}
