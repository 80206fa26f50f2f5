using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>
/// State shared by the agents of a system: text values under string keys, in a global scope and in one namespace
/// per agent (<see cref="ContextScope"/>), each key with a version history, and watches that tell subscribed agents
/// of changes as runtime messages (<see cref="ContextChanged"/>, sent with <see cref="AgentRuntime.Tell{T}"/>).
/// </summary>
/// <remarks>
/// <para>
/// Design: every key has its own lock. A write takes it, gives the change the key's next version, appends it to the
/// key's bounded history and sends the notifications, all before releasing it: writers of one key are serialized, so
/// versions have no gaps and no repeats, and each watcher receives one key's changes in version order (the runtime
/// keeps order per sender lane, and the sends happen in version order). Writers of different keys never contend.
/// Reads take the key's lock only to copy what they return; values are immutable records.
/// </para>
/// <para>
/// A write may be made from any thread, an agent's handler included. A notification that cannot be delivered (the
/// watcher is gone, or its inbox stayed full past the runtime's send timeout) is dead-lettered by the runtime or
/// counted in <see cref="UndeliveredNotifications"/>; the write itself always stands. Values are text: serialize
/// structured state (JSON, say) before writing it.
/// </para>
/// </remarks>
public sealed class SharedContext
{
    private static readonly Func<ScopedKey, int, KeySlot> s_newSlot = static (_, history) => new KeySlot(history);

    private readonly ConcurrentDictionary<ScopedKey, KeySlot> _keys = new();
    private readonly Lock _watchGate = new();
    private readonly TimeProvider _time;
    private ContextWatch[] _watches = [];
    private long _changes;
    private long _undelivered;

    /// <summary>Creates an empty context whose watches notify agents of <paramref name="runtime"/>.</summary>
    public SharedContext(AgentRuntime runtime, SharedContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Runtime = runtime;
        Options = options ?? new SharedContextOptions();
        _time = Options.Time;
    }

    /// <summary>The runtime that carries notifications.</summary>
    public AgentRuntime Runtime { get; }

    /// <summary>The settings.</summary>
    public SharedContextOptions Options { get; }

    /// <summary>Writes and deletes made so far, over all keys.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Notifications that were not sent (inbox full, runtime shutting down, watcher gone).</summary>
    public long UndeliveredNotifications => Interlocked.Read(ref _undelivered);

    /// <summary>Writes a global key.</summary>
    /// <returns>The key's new version.</returns>
    public long Set(string key, string? value, AgentId writer = default) => Set(ContextScope.Global, key, value, writer);

    /// <summary>Writes <paramref name="key"/> in <paramref name="scope"/>; a null value is stored as null (use <see cref="Delete"/> to remove a key).</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="key">The key; not null.</param>
    /// <param name="value">The new value.</param>
    /// <param name="writer">Who writes it (recorded in the entry and the notification).</param>
    /// <returns>The key's new version.</returns>
    public long Set(ContextScope scope, string key, string? value, AgentId writer = default) =>
        Write(scope, key, value, deleted: false, expected: null, writer);

    /// <summary>
    /// Writes <paramref name="key"/> only if its version is still <paramref name="expectedVersion"/> (0: never written):
    /// optimistic concurrency for read-modify-write by several agents.
    /// </summary>
    /// <param name="scope">The scope.</param>
    /// <param name="key">The key; not null.</param>
    /// <param name="value">The new value.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="version">The new version on success; the current one on conflict.</param>
    /// <param name="writer">Who writes it.</param>
    /// <returns>True when written; false when another write came first.</returns>
    public bool TrySet(ContextScope scope, string key, string? value, long expectedVersion, out long version, AgentId writer = default)
    {
        long written = Write(scope, key, value, deleted: false, expectedVersion, writer);
        if (written > 0)
        {
            version = written;
            return true;
        }

        version = VersionOf(scope, key);
        return false;
    }

    /// <summary>Deletes <paramref name="key"/>: a new version with no value (kept in the history, and notified).</summary>
    /// <returns>The new version, or 0 when the key had no value (never written, or already deleted).</returns>
    public long Delete(ContextScope scope, string key, AgentId writer = default) =>
        Math.Max(0, Write(scope, key, null, deleted: true, expected: null, writer));

    /// <summary>The current version of <paramref name="key"/>, or null when it has none (never written, or deleted).</summary>
    public bool TryGet(ContextScope scope, string key, [NotNullWhen(true)] out ContextEntry? entry)
    {
        entry = null;
        if (_keys.TryGetValue(new ScopedKey(scope.Owner.Value, Checked(key)), out KeySlot? slot))
        {
            lock (slot.Gate)
            {
                if (slot.Current is { Deleted: false } current)
                {
                    entry = current;
                }
            }
        }

        return entry is not null;
    }

    /// <summary>The value of a global key, or null (no value, or a null value).</summary>
    public string? Get(string key) => Get(ContextScope.Global, key);

    /// <summary>The value of <paramref name="key"/> in <paramref name="scope"/>, or null (no value, or a null value).</summary>
    public string? Get(ContextScope scope, string key) => TryGet(scope, key, out ContextEntry? entry) ? entry.Value : null;

    /// <summary>The latest version of <paramref name="key"/> (deletes count); 0 when it was never written.</summary>
    public long VersionOf(ContextScope scope, string key)
    {
        if (!_keys.TryGetValue(new ScopedKey(scope.Owner.Value, Checked(key)), out KeySlot? slot))
        {
            return 0;
        }

        lock (slot.Gate)
        {
            return slot.Version;
        }
    }

    /// <summary>The versions of <paramref name="key"/> still kept (at most <see cref="SharedContextOptions.HistoryLength"/>), oldest first.</summary>
    public IReadOnlyList<ContextEntry> History(ContextScope scope, string key)
    {
        if (!_keys.TryGetValue(new ScopedKey(scope.Owner.Value, Checked(key)), out KeySlot? slot))
        {
            return [];
        }

        lock (slot.Gate)
        {
            return slot.CopyHistory();
        }
    }

    /// <summary>The current entries of <paramref name="scope"/> (deleted keys left out), in ordinal key order: a snapshot, each key read atomically.</summary>
    public IReadOnlyList<ContextEntry> Entries(ContextScope scope)
    {
        var entries = new List<ContextEntry>();
        ulong owner = scope.Owner.Value;
        foreach (KeyValuePair<ScopedKey, KeySlot> pair in _keys)
        {
            if (pair.Key.Owner != owner)
            {
                continue;
            }

            lock (pair.Value.Gate)
            {
                if (pair.Value.Current is { Deleted: false } current)
                {
                    entries.Add(current);
                }
            }
        }

        entries.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return entries;
    }

    /// <summary>
    /// Subscribes <paramref name="subscriber"/> to changes: from now on, every write or delete of a matching key is sent
    /// to it as a <see cref="ContextChanged"/> (the agent must handle that message, or the sends are dead-lettered).
    /// </summary>
    /// <param name="subscriber">The agent to tell.</param>
    /// <param name="scope">The scope to watch; null for every scope.</param>
    /// <param name="keyPrefix">Only keys starting with this (ordinal); empty for every key.</param>
    /// <returns>The subscription; dispose it to end it.</returns>
    public ContextWatch Watch(AgentId subscriber, ContextScope? scope = null, string keyPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        if (subscriber.IsNone)
        {
            throw new ArgumentException("A watch needs an agent to tell.", nameof(subscriber));
        }

        var watch = new ContextWatch(this, subscriber, scope, keyPrefix);
        lock (_watchGate)
        {
            // Copy on write: writers read the array without a lock.
            Volatile.Write(ref _watches, [.. _watches, watch]);
        }

        return watch;
    }

    /// <summary>Ends <paramref name="watch"/>.</summary>
    /// <returns>False when it had already ended.</returns>
    internal bool Unwatch(ContextWatch watch)
    {
        lock (_watchGate)
        {
            int index = Array.IndexOf(_watches, watch);
            if (index < 0)
            {
                return false;
            }

            ContextWatch[] next = new ContextWatch[_watches.Length - 1];
            Array.Copy(_watches, 0, next, 0, index);
            Array.Copy(_watches, index + 1, next, index, next.Length - index);
            Volatile.Write(ref _watches, next);
            return true;
        }
    }

    private static string Checked(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key;
    }

    /// <returns>The new version; 0 for a delete of a key without a value; -1 when the expected version did not match.</returns>
    private long Write(ContextScope scope, string key, string? value, bool deleted, long? expected, AgentId writer)
    {
        KeySlot slot = _keys.GetOrAdd(new ScopedKey(scope.Owner.Value, Checked(key)), s_newSlot, Options.HistoryLength);
        lock (slot.Gate)
        {
            if (expected is { } version && slot.Version != version)
            {
                return -1;
            }

            if (deleted && slot.Current is null or { Deleted: true })
            {
                return 0;
            }

            var entry = new ContextEntry(scope, key, slot.Version + 1, value, deleted, writer, _time.GetUtcNow());
            slot.Append(entry);
            Interlocked.Increment(ref _changes);
            Notify(entry);
            return entry.Version;
        }
    }

    private void Notify(ContextEntry entry)
    {
        ContextWatch[] watches = Volatile.Read(ref _watches);
        ContextChanged? message = null;
        foreach (ContextWatch watch in watches)
        {
            if (!watch.Matches(entry.Scope, entry.Key))
            {
                continue;
            }

            message ??= new ContextChanged
            {
                Owner = entry.Scope.Owner.Value,
                Key = entry.Key,
                Version = entry.Version,
                Value = entry.Value,
                Deleted = entry.Deleted,
                Writer = entry.Writer.Value,
                TimeUnixMs = entry.Time.ToUnixTimeMilliseconds(),
            };
            try
            {
                if (Runtime.Tell(watch.Subscriber, message) != SendStatus.Sent)
                {
                    Interlocked.Increment(ref _undelivered);
                }
            }
            catch (InboxFullException)
            {
                Interlocked.Increment(ref _undelivered);
            }
        }
    }

    private readonly record struct ScopedKey(ulong Owner, string Key);

    /// <summary>One key: its lock, its latest version, and a ring of its most recent entries.</summary>
    private sealed class KeySlot
    {
        private readonly ContextEntry[] _history;
        private int _start;
        private int _count;

        public KeySlot(int history) => _history = new ContextEntry[history];

        public Lock Gate { get; } = new();

        public long Version { get; private set; }

        public ContextEntry? Current { get; private set; }

        public void Append(ContextEntry entry)
        {
            if (_count == _history.Length)
            {
                _history[_start] = entry;
                _start = (_start + 1) % _history.Length;
            }
            else
            {
                _history[(_start + _count) % _history.Length] = entry;
                _count++;
            }

            Version = entry.Version;
            Current = entry;
        }

        public ContextEntry[] CopyHistory()
        {
            var copy = new ContextEntry[_count];
            for (int i = 0; i < _count; i++)
            {
                copy[i] = _history[(_start + i) % _history.Length];
            }

            return copy;
        }
    }
}
