namespace FastAgents.TransportBench;

/// <summary>A role the executable can play: its name (the first command-line argument), a usage line, and its entry point.</summary>
/// <param name="Name">The first command-line argument that selects the role.</param>
/// <param name="Usage">One line: the role name and its options.</param>
/// <param name="Run">Runs the role with its options and returns the process exit code.</param>
internal sealed record RoleHandler(string Name, string Usage, Func<RoleArguments, int> Run);
