using System.Collections.Concurrent;
using System.Globalization;
using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class SharedContextTests
{
    [Fact]
    public async Task Set_GlobalAndNamespacedKeys_AreSeparate()
    {
        await using var h = new Harness();
        var context = new SharedContext(h.Runtime);
        var planner = new AgentId(7);

        Assert.Equal(1, context.Set("topic", "rings"));
        Assert.Equal(1, context.Set(ContextScope.Of(planner), "topic", "agents", planner));

        Assert.Equal("rings", context.Get("topic"));
        Assert.Equal("agents", context.Get(ContextScope.Of(planner), "topic"));
        Assert.True(context.TryGet(ContextScope.Of(planner), "topic", out ContextEntry? entry));
        Assert.Equal(planner, entry.Writer);
        Assert.Equal(["topic"], context.Entries(ContextScope.Global).Select(e => e.Key));
        Assert.Null(context.Get("absent"));
    }

    [Fact]
    public async Task History_KeepsTheLatestVersionsInOrder()
    {
        await using var h = new Harness();
        var clock = new ManualTimeProvider();
        var context = new SharedContext(h.Runtime, new SharedContextOptions { HistoryLength = 3, Time = clock });
        for (int i = 1; i <= 5; i++)
        {
            context.Set("k", $"v{i}");
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        IReadOnlyList<ContextEntry> history = context.History(ContextScope.Global, "k");

        Assert.Equal([3L, 4L, 5L], history.Select(e => e.Version));
        Assert.Equal(["v3", "v4", "v5"], history.Select(e => e.Value));
        Assert.Equal(history[0].Time.AddSeconds(2), history[2].Time);
        Assert.Equal(5, context.VersionOf(ContextScope.Global, "k"));
        Assert.Empty(context.History(ContextScope.Global, "absent"));
    }

    [Fact]
    public async Task Delete_AddsATombstoneVersion()
    {
        await using var h = new Harness();
        var context = new SharedContext(h.Runtime);
        context.Set("k", "v");

        Assert.Equal(2, context.Delete(ContextScope.Global, "k"));
        Assert.Equal(0, context.Delete(ContextScope.Global, "k"));
        Assert.Null(context.Get("k"));
        Assert.False(context.TryGet(ContextScope.Global, "k", out _));
        Assert.Empty(context.Entries(ContextScope.Global));
        Assert.Equal(3, context.Set("k", "again"));
        Assert.True(context.History(ContextScope.Global, "k")[1].Deleted);
    }

    [Fact]
    public async Task TrySet_StaleVersion_IsRefused()
    {
        await using var h = new Harness();
        var context = new SharedContext(h.Runtime);

        Assert.True(context.TrySet(ContextScope.Global, "k", "a", expectedVersion: 0, out long first));
        Assert.False(context.TrySet(ContextScope.Global, "k", "b", expectedVersion: 0, out long current));
        Assert.True(context.TrySet(ContextScope.Global, "k", "c", expectedVersion: 1, out long second));

        Assert.Equal((1L, 1L, 2L), (first, current, second));
        Assert.Equal("c", context.Get("k"));
    }

    [Fact]
    public async Task Watch_MatchingChanges_AreToldToTheAgentAsMessages()
    {
        await using var h = new Harness();
        var context = new SharedContext(h.Runtime);
        var seen = new ConcurrentQueue<ContextChanged>();
        var everything = new ConcurrentQueue<ContextChanged>();
        AgentId watcher = h.Spawn(() => new WatcherAgent(seen));
        AgentId other = h.Spawn(() => new WatcherAgent(everything));
        var writer = new AgentId(42);
        ContextWatch watch = context.Watch(watcher, ContextScope.Global, "plan.");
        context.Watch(other);

        context.Set("plan.goal", "ship", writer);
        context.Set("notes", "ignored by the prefix");
        context.Set(ContextScope.Of(writer), "plan.private", "ignored by the scope");
        context.Delete(ContextScope.Global, "plan.goal");
        Eventually.True(() => seen.Count == 2 && everything.Count == 4, "the notifications");

        ContextChanged[] changes = [.. seen];
        Assert.Equal(("plan.goal", 1L, "ship", false, writer), (changes[0].Key, changes[0].Version, changes[0].Value, changes[0].Deleted, changes[0].WriterId));
        Assert.Equal(ContextScope.Global, changes[0].Scope);
        Assert.Equal((2L, null, true), (changes[1].Version, changes[1].Value, changes[1].Deleted));
        Assert.Equal(ContextScope.Of(writer), everything.ToArray()[2].Scope);

        watch.Dispose();
        context.Set("plan.goal", "after");
        Eventually.True(() => everything.Count == 5, "the remaining watch's notification");
        Assert.Equal(2, seen.Count);
        Assert.Equal(0, context.UndeliveredNotifications);
    }

    [Fact]
    public async Task Set_ConcurrentWritersOfOneKey_NoLostOrRepeatedVersionsAndWatcherSeesThemInOrder()
    {
        const int Writers = 4;
        const int PerWriter = 2500;
        await using var h = new Harness();
        var context = new SharedContext(h.Runtime, new SharedContextOptions { HistoryLength = 8 });
        var seen = new ConcurrentQueue<ContextChanged>();
        context.Watch(h.Spawn(() => new WatcherAgent(seen)), ContextScope.Global, "counter");
        var versions = new long[Writers][];
        using var start = new Barrier(Writers);

        Thread[] threads = [.. Enumerable.Range(0, Writers).Select(w => new Thread(() =>
        {
            var mine = new long[PerWriter];
            start.SignalAndWait();
            for (int i = 0; i < PerWriter; i++)
            {
                mine[i] = context.Set("counter", $"{w}:{i}", new AgentId((ulong)w + 1));
            }

            versions[w] = mine;
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(Eventually.Deadline), "A writer did not finish.");
        }

        const int Total = Writers * PerWriter;
        foreach (long[] mine in versions)
        {
            for (int i = 1; i < mine.Length; i++)
            {
                Assert.True(mine[i] > mine[i - 1], "A writer saw its versions go backwards.");
            }
        }

        Assert.Equal(Enumerable.Range(1, Total).Select(v => (long)v), versions.SelectMany(v => v).Order());
        Assert.Equal(Total, context.VersionOf(ContextScope.Global, "counter"));
        Assert.Equal(Enumerable.Range(Total - 7, 8).Select(v => (long)v), context.History(ContextScope.Global, "counter").Select(e => e.Version));
        Eventually.True(() => seen.Count == Total, $"{Total} notifications (saw {seen.Count})");
        Assert.Equal(Enumerable.Range(1, Total).Select(v => (long)v), seen.Select(c => c.Version));
    }

    [Fact]
    public async Task TrySet_ConcurrentReadModifyWrite_LosesNoIncrement()
    {
        const int Writers = 4;
        const int PerWriter = 500;
        await using var h = new Harness();
        var context = new SharedContext(h.Runtime);
        context.Set("n", "0");

        Task[] writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < PerWriter; i++)
            {
                while (true)
                {
                    context.TryGet(ContextScope.Global, "n", out ContextEntry? entry);
                    string next = (int.Parse(entry!.Value!, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                    if (context.TrySet(ContextScope.Global, "n", next, entry.Version, out long ignored))
                    {
                        break;
                    }
                }
            }
        }))];
        await Eventually.Within(Task.WhenAll(writers), "the writers");

        Assert.Equal((Writers * PerWriter).ToString(CultureInfo.InvariantCulture), context.Get("n"));
    }
}
