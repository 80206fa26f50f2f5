using Xunit;

namespace FastAgents.Cli.Tests;

/// <summary>Tests that start a runtime run one at a time: two cores cannot host several runtimes' workers at once.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeCollection
{
    public const string Name = "runtime";
}
