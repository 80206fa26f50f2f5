using Xunit;

namespace FastAgents.Perf.Tests;

/// <summary>Tests that read the process's allocation counter run alone, so no other test's allocations are counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "allocation";
}
