using System.Net.Sockets;
using FastAgents.Runtime;
using FastAgents.Transport;
using FastAgents.Transport.Protocol;

namespace FastAgents.Cli.Router;

/// <summary>Joining a router from a command: which failures mean "cannot join", and how a command reports them.</summary>
internal static class RouterJoin
{
    /// <summary>
    /// Whether <paramref name="ex"/> from <see cref="RouterClient.ConnectAsync"/> means the router could not be joined
    /// (unreachable, the hello refused, no welcome in time), as opposed to a bug.
    /// </summary>
    public static bool IsJoinFailure(Exception ex) => ex is SocketException or ProtocolException or TimeoutException;

    /// <summary>
    /// Joins <paramref name="runtime"/> to the router at <paramref name="endpoint"/> (the default socket when null) as
    /// <paramref name="name"/>; when it cannot, writes <c>fastagents COMMAND: cannot join the router: ...</c> to standard
    /// error and returns null.
    /// </summary>
    public static async Task<RouterClient?> TryConnectAsync(AgentRuntime runtime, string? endpoint, string? token, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await RouterClient.ConnectAsync(runtime, new RouterClientOptions
            {
                Endpoint = endpoint ?? TransportEndpoint.DefaultSocketPath,
                Token = token,
                Name = name,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsJoinFailure(ex))
        {
            await Console.Error.WriteLineAsync($"fastagents {name}: cannot join the router: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
