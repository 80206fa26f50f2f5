using System.Collections.Concurrent;
using FastAgents.Runtime;
using Microsoft.Extensions.Logging;

namespace FastAgents.Router;

/// <summary>
/// Which connection owns each agent (and node agent), which connections subscribe to each topic, and which offer
/// each capability. Lookups take no lock (a concurrent dictionary, copy-on-write arrays); changes take one lock and
/// bump <see cref="Version"/>, so that read loops may cache a lookup until the table changes.
/// </summary>
internal sealed class RoutingTable(ILogger logger)
{
    private readonly ConcurrentDictionary<ulong, RouterConnection> _owners = new();
    private readonly ConcurrentDictionary<ulong, RouterConnection[]> _topics = new();
    private readonly ConcurrentDictionary<ulong, RouterConnection[]> _capabilities = new();
    private readonly Lock _lock = new();
    private int _version;
    private int _cursor;

    /// <summary>Bumped on every change.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Agents registered now (node agents not counted).</summary>
    public int AgentCount
    {
        get
        {
            int count = 0;
            foreach (KeyValuePair<ulong, RouterConnection> owner in _owners)
            {
                if (new AgentId(owner.Key).TypeId != FastAgents.Transport.Protocol.Frames.NodeTypeId)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>The connection that owns <paramref name="agent"/> (an agent or a node agent), or null.</summary>
    public RouterConnection? Owner(ulong agent) => _owners.TryGetValue(agent, out RouterConnection? owner) ? owner : null;

    /// <summary>The connections with a subscriber of <paramref name="topic"/>.</summary>
    public RouterConnection[] Subscribers(ulong topic) => _topics.TryGetValue(topic, out RouterConnection[]? members) ? members : [];

    /// <summary>
    /// The least busy open connection offering <paramref name="capability"/>: smallest reported backlog plus bytes
    /// queued here for it; ties go round-robin. Null when none offers it.
    /// </summary>
    public RouterConnection? PickLeastBusy(ulong capability)
    {
        if (!_capabilities.TryGetValue(capability, out RouterConnection[]? members) || members.Length == 0)
        {
            return null;
        }

        int start = (int)((uint)Interlocked.Increment(ref _cursor) % (uint)members.Length);
        RouterConnection? best = null;
        long bestScore = long.MaxValue;
        for (int i = 0; i < members.Length; i++)
        {
            RouterConnection member = members[(start + i) % members.Length];
            if (member.IsClosed)
            {
                continue;
            }

            // Reported backlog is in envelopes; queued bytes are converted at a small envelope's size.
            long score = member.Backlog + (member.QueuedBytes / 128);
            if (score < bestScore)
            {
                best = member;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>Adds a connection's node agent; false when another connection has it.</summary>
    public bool AddNode(RouterConnection connection)
    {
        lock (_lock)
        {
            if (!_owners.TryAdd(connection.Node.Value, connection))
            {
                return false;
            }

            _version++;
            return true;
        }
    }

    public void Register(RouterConnection connection, AgentId agent, ulong[] capabilities)
    {
        lock (_lock)
        {
            if (_owners.TryGetValue(agent.Value, out RouterConnection? previous) && previous != connection)
            {
                RouterLog.AgentMoved(logger, agent.ToString(), connection.Id, previous.Id);
                RemoveAgentLocked(previous, agent.Value);
            }

            if (connection.AgentCapabilities.Remove(agent.Value, out ulong[]? old))
            {
                RemoveCapabilitiesLocked(connection, old);
            }

            _owners[agent.Value] = connection;
            connection.AgentCapabilities[agent.Value] = capabilities;
            foreach (ulong capability in capabilities)
            {
                ref int count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(connection.CapabilityCounts, capability, out _);
                if (++count == 1)
                {
                    Add(_capabilities, capability, connection);
                }
            }

            _version++;
        }
    }

    public void Deregister(RouterConnection connection, AgentId agent)
    {
        lock (_lock)
        {
            RemoveAgentLocked(connection, agent.Value);
            _version++;
        }
    }

    public void Subscribe(RouterConnection connection, ulong topic, AgentId agent)
    {
        lock (_lock)
        {
            if (connection.Subscriptions.Add((topic, agent.Value)))
            {
                ref int count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(connection.TopicCounts, topic, out _);
                if (++count == 1)
                {
                    Add(_topics, topic, connection);
                }

                _version++;
            }
        }
    }

    public void Unsubscribe(RouterConnection connection, ulong topic, AgentId agent)
    {
        lock (_lock)
        {
            if (connection.Subscriptions.Remove((topic, agent.Value)))
            {
                DecrementTopicLocked(connection, topic);
                _version++;
            }
        }
    }

    /// <summary>Removes everything a connection owned; returns its agents and node agent (for the gone notice).</summary>
    public List<AgentId> Remove(RouterConnection connection)
    {
        lock (_lock)
        {
            var removed = new List<AgentId>();
            foreach (ulong agent in connection.AgentCapabilities.Keys.ToArray())
            {
                if (RemoveAgentLocked(connection, agent))
                {
                    removed.Add(new AgentId(agent));
                }
            }

            foreach ((ulong topic, ulong _) in connection.Subscriptions)
            {
                DecrementTopicLocked(connection, topic);
            }

            connection.Subscriptions.Clear();
            if (!connection.Node.IsNone && _owners.TryRemove(new KeyValuePair<ulong, RouterConnection>(connection.Node.Value, connection)))
            {
                removed.Add(connection.Node);
            }

            _version++;
            return removed;
        }
    }

    private bool RemoveAgentLocked(RouterConnection connection, ulong agent)
    {
        if (connection.AgentCapabilities.Remove(agent, out ulong[]? capabilities))
        {
            RemoveCapabilitiesLocked(connection, capabilities);
        }

        // Subscriptions of the agent end with it.
        foreach ((ulong topic, ulong subscriber) in connection.Subscriptions.ToArray())
        {
            if (subscriber == agent)
            {
                connection.Subscriptions.Remove((topic, subscriber));
                DecrementTopicLocked(connection, topic);
            }
        }

        return _owners.TryRemove(new KeyValuePair<ulong, RouterConnection>(agent, connection));
    }

    private void RemoveCapabilitiesLocked(RouterConnection connection, ulong[] capabilities)
    {
        foreach (ulong capability in capabilities)
        {
            if (connection.CapabilityCounts.TryGetValue(capability, out int count))
            {
                if (count <= 1)
                {
                    connection.CapabilityCounts.Remove(capability);
                    Remove(_capabilities, capability, connection);
                }
                else
                {
                    connection.CapabilityCounts[capability] = count - 1;
                }
            }
        }
    }

    private void DecrementTopicLocked(RouterConnection connection, ulong topic)
    {
        if (connection.TopicCounts.TryGetValue(topic, out int count))
        {
            if (count <= 1)
            {
                connection.TopicCounts.Remove(topic);
                Remove(_topics, topic, connection);
            }
            else
            {
                connection.TopicCounts[topic] = count - 1;
            }
        }
    }

    private static void Add(ConcurrentDictionary<ulong, RouterConnection[]> groups, ulong key, RouterConnection connection)
    {
        RouterConnection[] members = groups.TryGetValue(key, out RouterConnection[]? existing) ? existing : [];
        groups[key] = [.. members, connection];
    }

    private static void Remove(ConcurrentDictionary<ulong, RouterConnection[]> groups, ulong key, RouterConnection connection)
    {
        if (!groups.TryGetValue(key, out RouterConnection[]? members))
        {
            return;
        }

        RouterConnection[] next = Array.FindAll(members, m => m != connection);
        if (next.Length == 0)
        {
            groups.TryRemove(key, out _);
        }
        else
        {
            groups[key] = next;
        }
    }
}
