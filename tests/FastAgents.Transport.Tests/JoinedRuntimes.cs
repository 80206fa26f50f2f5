using FastAgents.Runtime;

namespace FastAgents.Transport.Tests;

/// <summary>Runtimes joined to a router this process does not host (a <c>fastagents router</c> child process); disposed in order.</summary>
public sealed class JoinedRuntimes(string socketPath) : IAsyncDisposable
{
    private readonly List<(AgentRuntime Runtime, RouterClient Client)> _members = [];

    public async Task<(AgentRuntime Runtime, RouterClient Client)> JoinAsync(string name, Action<AgentRuntime>? spawn = null)
    {
        var runtime = new AgentRuntime(Cluster.TestRuntimeOptions(name));
        spawn?.Invoke(runtime);
        RouterClient client = await RouterClient.ConnectAsync(runtime, new RouterClientOptions
        {
            Endpoint = "unix:" + socketPath,
            Name = name,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        });
        _members.Add((runtime, client));
        return (runtime, client);
    }

    public async ValueTask DisposeAsync()
    {
        foreach ((AgentRuntime runtime, RouterClient client) in _members)
        {
            await client.DisposeAsync();
            await runtime.ShutdownAsync(TimeSpan.FromSeconds(2));
        }
    }
}
