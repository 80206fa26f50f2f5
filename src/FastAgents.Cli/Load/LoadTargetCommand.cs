using System.CommandLine;
using System.Globalization;
using FastAgents.Runtime;
using FastAgents.Transport;

namespace FastAgents.Cli.Load;

/// <summary>
/// <c>fastagents load-target</c> (hidden): a target process of a router load run. Joins the router with its share of
/// the target agents, prints <see cref="ReadyLine"/>, and leaves when its standard input closes (the load process
/// closes it at the end of the run, and a dead load process closes it too).
/// </summary>
internal static class LoadTargetCommand
{
    public const string Name = "load-target";

    public const string ReadyLine = "READY load-target";

    /// <summary>The command line (after the program) of a target process hosting keys from <paramref name="firstKey"/>.</summary>
    public static IEnumerable<string> Arguments(LoadSettings settings, uint firstKey)
    {
        yield return Name;
        yield return "--router";
        yield return settings.Router!;
        if (settings.Token is { } token)
        {
            yield return "--token";
            yield return token;
        }

        yield return "--agents";
        yield return settings.Agents.ToString(CultureInfo.InvariantCulture);
        yield return "--first-key";
        yield return firstKey.ToString(CultureInfo.InvariantCulture);
        yield return "--payload";
        yield return settings.PayloadBytes.ToString(CultureInfo.InvariantCulture);
        yield return "--workers";
        yield return settings.Workers.ToString(CultureInfo.InvariantCulture);
        if (settings.LeastBusy)
        {
            yield return "--least-busy";
        }

        if (settings.IdleSpin is TimeSpan spin)
        {
            yield return "--idle-spin-us";
            yield return spin.TotalMicroseconds.ToString(CultureInfo.InvariantCulture);
        }

        if (settings.IdleYield is TimeSpan yield)
        {
            yield return "--idle-yield-us";
            yield return yield.TotalMicroseconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    public static Command Create()
    {
        var router = new Option<string>("--router") { Required = true };
        var token = new Option<string?>("--token");
        var agents = new Option<int>("--agents") { DefaultValueFactory = _ => 1 };
        var firstKey = new Option<uint>("--first-key");
        var payload = new Option<int>("--payload") { DefaultValueFactory = _ => 8 };
        var workers = new Option<int>("--workers") { DefaultValueFactory = _ => Environment.ProcessorCount };
        var leastBusy = new Option<bool>("--least-busy");
        var idleSpin = new Option<double?>("--idle-spin-us");
        var idleYield = new Option<double?>("--idle-yield-us");
        var command = new Command(Name, "A target process of `fastagents load --router` (started by it).") { Hidden = true };
        foreach (Option option in new Option[] { router, token, agents, firstKey, payload, workers, leastBusy, idleSpin, idleYield })
        {
            command.Options.Add(option);
        }

        command.SetAction(result =>
        {
            var settings = new LoadSettings
            {
                Router = result.GetValue(router),
                Token = result.GetValue(token),
                Agents = result.GetValue(agents),
                PayloadBytes = result.GetValue(payload),
                Workers = result.GetValue(workers),
                LeastBusy = result.GetValue(leastBusy),
                IdleSpin = result.GetValue(idleSpin) is double spin ? TimeSpan.FromMicroseconds(spin) : null,
                IdleYield = result.GetValue(idleYield) is double yield ? TimeSpan.FromMicroseconds(yield) : null,
            };
            if (settings.Validate() is string problem)
            {
                Console.Error.WriteLine($"fastagents {Name}: {problem}");
                return LoadCommand.UsageExitCode;
            }

            return LoadScenario.ForPayload(settings.PayloadBytes, new Host(settings, result.GetValue(firstKey)));
        });
        return command;
    }

    private sealed class Host(LoadSettings settings, uint firstKey) : IMessageTypeVisitor<int>
    {
        public int Visit<TMessage>()
            where TMessage : ILoadMessage<TMessage>
        {
            using var runtime = new AgentRuntime(settings.RuntimeOptions("load-target"));
            RouterScenario.SpawnTargets<TMessage>(runtime, firstKey, settings);
            RouterClient client;
            try
            {
                client = RouterScenario.Connect(runtime, settings, $"load-target-{firstKey}", CancellationToken.None);
            }
            catch (LoadSetupException ex)
            {
                Console.Error.WriteLine($"fastagents {Name}: {ex.Message}");
                return 1;
            }

            Console.Out.WriteLine(ReadyLine);
            Console.Out.Flush();
            while (Console.In.ReadLine() is not null)
            {
                // Nothing is sent on standard input; its end is the signal to leave.
            }

            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 0;
        }
    }
}
