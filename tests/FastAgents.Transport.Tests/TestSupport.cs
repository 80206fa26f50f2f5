using System.Collections.Concurrent;
using System.Diagnostics;
using FastAgents.Router;
using FastAgents.Runtime;
using Xunit;

namespace FastAgents.Transport.Tests;

public readonly record struct Ping(long Value);

public readonly record struct Pong(long Value, uint Responder);

/// <summary>Counts and records what it receives; answers pings with pongs.</summary>
public sealed class Recorder : Agent, IHandle<Ping>
{
    public static readonly ConcurrentDictionary<AgentId, ConcurrentQueue<(long Value, MessageKind Kind)>> Seen = new();

    public void Handle(in Ping message, AgentContext context)
    {
        Seen.GetOrAdd(context.Self, static _ => new()).Enqueue((message.Value, context.Kind));
        if (context.Kind == MessageKind.Ask)
        {
            context.Reply(new Pong(message.Value * 2, context.Self.Key));
        }
    }

    protected internal override void Configure(HandlerMap handlers) => handlers.Add<Ping>(this);

    public static int CountFor(AgentId id) => Seen.TryGetValue(id, out var queue) ? queue.Count : 0;
}

/// <summary>A router on a fresh socket path, and runtimes linked to it; disposed in order.</summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly List<(AgentRuntime Runtime, RouterClient Client)> _members = [];

    private Cluster(RouterServer router, string socketPath)
    {
        Router = router;
        SocketPath = socketPath;
    }

    public RouterServer Router { get; private set; }

    public string SocketPath { get; }

    public RouterOptions RouterOptions => Router.Options;

    public static string NewSocketPath() => Path.Combine(Path.GetTempPath(), "fa-tests", $"{Guid.NewGuid():N}.sock");

    public static async Task<Cluster> StartAsync(RouterOptions? options = null)
    {
        // Each cluster gets its own socket, and HTTP only when a test asks for a port other than the default: options
        // made with `new RouterOptions { ... }` carry the machine-wide defaults, which other routers may be using.
        var defaults = new RouterOptions();
        string path = options?.SocketPath is { } given && given != defaults.SocketPath ? given : NewSocketPath();
        int? http = options?.HttpPort is { } port && port != defaults.HttpPort ? port : null;
        options = (options ?? defaults) with { SocketPath = path, HttpPort = http };
        var router = new RouterServer(options);
        await router.StartAsync();
        return new Cluster(router, path);
    }

    public RouterClientOptions ClientOptions(string name) => new()
    {
        Endpoint = "unix:" + SocketPath,
        Name = name,
        Token = Router.Options.Token,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    public async Task<(AgentRuntime Runtime, RouterClient Client)> JoinAsync(string name, Action<AgentRuntime>? spawn = null, RouterClientOptions? options = null, RuntimeOptions? runtimeOptions = null)
    {
        var runtime = new AgentRuntime(runtimeOptions ?? TestRuntimeOptions(name));
        spawn?.Invoke(runtime);
        RouterClient client = await RouterClient.ConnectAsync(runtime, options ?? ClientOptions(name));
        _members.Add((runtime, client));
        return (runtime, client);
    }

    /// <summary>
    /// Options for a test runtime. Ask continuations run on the thread pool: inline, the code after an awaited ask
    /// would run on the link's read loop, and a test that then blocks (Eventually) would stop that link's deliveries.
    /// </summary>
    public static RuntimeOptions TestRuntimeOptions(string name) => new()
    {
        Workers = 1,
        Name = name,
        DefaultAskTimeout = TimeSpan.FromSeconds(20),
        RunAskContinuationsAsynchronously = true,
    };

    /// <summary>Stops the router (as a crash would, from the clients' side) and starts a new one on the same path.</summary>
    public async Task RestartRouterAsync()
    {
        await Router.StopAsync(TimeSpan.Zero);
        var next = new RouterServer(Router.Options);
        await next.StartAsync();
        Router = next;
    }

    /// <summary>Waits until the router knows <paramref name="agents"/> agents (registration is asynchronous).</summary>
    public void WaitForAgents(int agents) =>
        Eventually.True(() => Router.AgentCount >= agents, $"the router to know {agents} agents (it knows {Router.AgentCount})");

    public async ValueTask DisposeAsync()
    {
        foreach ((AgentRuntime runtime, RouterClient client) in _members)
        {
            await client.DisposeAsync();
            await runtime.ShutdownAsync(TimeSpan.FromSeconds(2));
        }

        await Router.StopAsync(TimeSpan.FromSeconds(1));
    }
}

public static class Eventually
{
    public static void True(Func<bool> condition, string failure, TimeSpan? deadline = null)
    {
        var watch = Stopwatch.StartNew();
        TimeSpan limit = deadline ?? TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:0} s waiting for {failure}");
            }

            Thread.Sleep(2);
        }
    }
}
