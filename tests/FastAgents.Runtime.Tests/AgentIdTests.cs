using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class AgentIdTests
{
    [Fact]
    public void AgentId_TypeAndKey_PackIntoOneValueAndBack()
    {
        AgentType planner = AgentType.Register("planner");

        AgentId id = planner[42];

        Assert.Equal(planner.Id, id.TypeId);
        Assert.Equal(42u, id.Key);
        Assert.Equal(((ulong)planner.Id << 32) | 42, id.Value);
        Assert.Equal(id, new AgentId(id.Value));
        Assert.NotEqual(planner[43], id);
        Assert.Equal("planner/42", id.ToString());
        Assert.True(AgentId.None.IsNone);
        Assert.Equal("none", AgentId.None.ToString());
    }

    [Fact]
    public void Register_SameName_ReturnsTheSameIdEverywhere()
    {
        // FNV-1a of the UTF-8 name: every process derives the same id without coordination.
        Assert.Equal(AgentType.Register("writer").Id, AgentType.Register("writer").Id);
        Assert.Equal(0xe40c292cu, AgentType.KeyOf("a")); // FNV-1a-32 published test vectors
        Assert.Equal(0xbf9cf968u, AgentType.KeyOf("foobar"));
    }

    [Fact]
    public void Register_TwoNamesWithTheSameHash_RefusesTheSecond()
    {
        // Find two names whose 32-bit hashes collide (a birthday search; a few hundred thousand names suffice).
        var seen = new Dictionary<uint, string>();
        string? first = null;
        string? second = null;
        for (int i = 0; i < 2_000_000 && first is null; i++)
        {
            string name = "collide-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            uint hash = AgentType.KeyOf(name);
            if (!seen.TryAdd(hash, name))
            {
                first = seen[hash];
                second = name;
            }
        }

        Assert.NotNull(first);
        AgentType.Register(first);
        ArgumentException error = Assert.Throws<ArgumentException>(() => AgentType.Register(second!));
        Assert.Contains(first, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_EmptyName_Throws()
    {
        Assert.Throws<ArgumentException>(() => AgentType.Register(""));
    }
}
