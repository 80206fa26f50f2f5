using System.CommandLine;
using FastAgents.Cli.Demo;
using FastAgents.Cli.Load;
using FastAgents.Cli.Router;

namespace FastAgents.Cli;

/// <summary>The <c>fastagents</c> command.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command.</summary>
    /// <returns>The process exit code.</returns>
    public static int Main(string[] args)
    {
        var root = new RootCommand("FastAgents: a low-latency agent runtime. Run a subcommand with --help for its options.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(LoadCommand.Create());
        root.Subcommands.Add(LoadTargetCommand.Create());
        root.Subcommands.Add(RouterCommand.Create());
        root.Subcommands.Add(EchoCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        return root.Parse(args).Invoke();
    }
}
