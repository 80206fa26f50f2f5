using FastAgents.Cli.Load;
using Xunit;

namespace FastAgents.Cli.Tests;

public sealed class AckPoolTests
{
    [Fact]
    public async Task Complete_ByTag_CompletesThatSendsTask()
    {
        var pool = new AckPool(4);
        AckSource first = pool.Rent();
        AckSource second = pool.Rent();
        ValueTask<bool> firstTask = first.Task;
        ValueTask<bool> secondTask = second.Task;

        pool.Complete(second.Tag);

        Assert.False(firstTask.IsCompleted);
        Assert.True(secondTask.IsCompletedSuccessfully);
        Assert.True(await secondTask);
        Assert.Equal(1, pool.Rented);
    }

    [Fact]
    public async Task Complete_StaleTag_IsIgnored()
    {
        var pool = new AckPool(1);
        AckSource source = pool.Rent();
        long staleTag = source.Tag;
        pool.Complete(staleTag);
        Assert.True(await source.Task);                // read: the source goes back to the pool with a new version

        AckSource again = pool.Rent();
        ValueTask<bool> task = again.Task;
        pool.Complete(staleTag);

        Assert.Same(source, again);
        Assert.False(task.IsCompleted);
    }

    [Fact]
    public async Task Rent_BeyondCapacity_Grows()
    {
        var pool = new AckPool(2);
        var sources = new List<AckSource>();

        for (int i = 0; i < 5; i++)
        {
            sources.Add(pool.Rent());
        }

        Assert.Equal(5, sources.Select(s => s.Index).Distinct().Count());
        Assert.True(pool.Capacity >= 5);
        pool.Complete(sources[4].Tag, ok: false);
        Assert.False(await sources[4].Task);
    }
}
