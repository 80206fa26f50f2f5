using Xunit;

namespace FastAgents.Runtime.Tests;

public sealed class PriorityTests
{
    private static readonly AgentType s_receiver = AgentType.Register("priority-receiver");

    [Fact]
    public async Task Drain_HighFirst_ButLowerLanesServedWithinTheFirstPass()
    {
        const int HighCount = 64;
        const int NormalCount = 32;
        const int LowCount = 6;
        int[] quotas = [8, 4, 2];
        await using var runtime = new AgentRuntime(TestOptions.Default() with { LaneQuotas = quotas });
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_receiver, 0, () => new RecorderAgent(probe), new AgentOptions { Worker = 0 });

        // Block the receiver with a Low message: its pass then ends after the Low lanes, and the next pass starts at High.
        runtime.Tell(id, new Hold(0), Priority.Low);
        probe.Gate.WaitEntered();
        try
        {
            for (int i = 0; i < LowCount; i++)
            {
                runtime.Tell(id, new Num(2000 + i), Priority.Low);
            }

            for (int i = 0; i < NormalCount; i++)
            {
                runtime.Tell(id, new Num(1000 + i), Priority.Normal);
            }

            for (int i = 0; i < HighCount; i++)
            {
                runtime.Tell(id, new Num(i), Priority.High);
            }
        }
        finally
        {
            probe.Gate.Release();
        }

        probe.WaitForCount(HighCount + NormalCount + LowCount, "prioritized messages");
        Priority[] order = [.. probe.Snapshot().Select(s => s.Priority)];
        int firstNormal = Array.IndexOf(order, Priority.Normal);
        int firstLow = Array.IndexOf(order, Priority.Low);
        int lastHigh = Array.LastIndexOf(order, Priority.High);
        string described = string.Join(",", order.Select(p => p.ToString()[0]));

        Assert.True(order[0] == Priority.High, $"High goes first: {described}");
        Assert.True(firstNormal >= 1 && firstNormal <= quotas[0], $"the first Normal comes after at most one High quota: {described}");
        Assert.True(firstLow >= 1 && firstLow <= quotas[0] + quotas[1], $"the first Low comes within the first pass: {described}");
        Assert.True(firstLow < lastHigh, $"Low is not starved until every High is done: {described}");

        // FIFO within each lane.
        foreach (Priority priority in new[] { Priority.High, Priority.Normal, Priority.Low })
        {
            int[] values = [.. probe.Snapshot().Where(s => s.Priority == priority).Select(s => s.Value)];
            Assert.Equal(values.Order(), values);
        }
    }

    [Fact]
    public async Task Drain_PriorityTravelsWithTheEnvelope()
    {
        await using var runtime = new AgentRuntime(TestOptions.Default());
        using var probe = new Probe();
        AgentId id = runtime.Spawn(s_receiver, 1, () => new RecorderAgent(probe), new AgentOptions { Worker = 1 });

        runtime.Tell(id, new Num(0), Priority.High);
        runtime.Tell(id, new Num(1), Priority.Normal);
        runtime.Tell(id, new Num(2), Priority.Low);
        probe.WaitForCount(3, "one message per priority");

        Assert.All(probe.Snapshot(), s => Assert.Equal((Priority)s.Value, s.Priority));
    }
}
