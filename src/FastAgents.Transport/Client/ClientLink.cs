using System.Collections.Concurrent;
using FastAgents.Rings;
using FastAgents.Runtime;
using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Remote;
using FastAgents.Transport.Protocol;

namespace FastAgents.Transport.Client;

/// <summary>
/// The runtime link of a <see cref="RouterClient"/>: the outbound ring (in the base) plus a queue of control frames
/// (registrations, subscriptions, failed remote asks) that the writer sends ahead of envelopes.
/// </summary>
internal sealed class ClientLink(int capacity, SpinThenParkWait wait) : RuntimeLink(capacity, wait)
{
    private readonly ConcurrentQueue<byte[]> _control = new();
    private int _controlCount;

    public bool HasControl => Volatile.Read(ref _controlCount) > 0;

    /// <summary>False while there is no connection: registrations are then re-sent in full on the next one.</summary>
    public volatile bool Connected;

    public void EnqueueControl(byte[] frame)
    {
        _control.Enqueue(frame);
        Interlocked.Increment(ref _controlCount);
        Wait.SignalAllWhenBlocking();
    }

    public bool TryDequeueControl(out byte[]? frame)
    {
        if (_control.TryDequeue(out frame))
        {
            Interlocked.Decrement(ref _controlCount);
            return true;
        }

        return false;
    }

    public void ClearControl()
    {
        while (TryDequeueControl(out _))
        {
        }
    }

    public override void OnAgentAdded(AgentId id, IReadOnlyList<Capability> capabilities)
    {
        if (!Connected)
        {
            return;
        }

        var ids = new ulong[capabilities.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = capabilities[i].Id;
        }

        EnqueueControl(Frames.Register(id, ids));
    }

    public override void OnAgentRemoved(AgentId id)
    {
        if (Connected)
        {
            EnqueueControl(Frames.Deregister(id));
        }
    }

    public override void OnSubscribed(AgentId id, ulong topicId)
    {
        if (Connected)
        {
            EnqueueControl(Frames.Subscription(FrameKind.Subscribe, topicId, id));
        }
    }

    public override void OnUnsubscribed(AgentId id, ulong topicId)
    {
        if (Connected)
        {
            EnqueueControl(Frames.Subscription(FrameKind.Unsubscribe, topicId, id));
        }
    }

    public override void OnRemoteAskFailed(in EnvelopeHeader header, DeadLetterReason reason)
    {
        if (!Connected)
        {
            return; // the asker's side fails its asks when its own link breaks, or at their timeout
        }

        var frame = new byte[Frames.UndeliverableSize];
        Frames.WriteUndeliverable(frame, reason, Frames.FromProcess, header.AsBytes());
        EnqueueControl(frame);
    }
}
