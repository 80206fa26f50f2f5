using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Internal;
using System.Runtime.InteropServices;

namespace FastAgents.Runtime;

/// <summary>
/// Where undeliverable messages go: counted by reason, the most recent kept, each passed to
/// <see cref="RuntimeOptions.OnDeadLetter"/>. A dead-lettered ask fails its caller at once with an
/// <see cref="UndeliverableException"/> that carries the reason.
/// </summary>
public sealed class DeadLetterOffice
{
    private readonly long[] _counts = new long[Enum.GetValues<DeadLetterReason>().Length];
    private readonly DeadLetter?[] _recent;
    private readonly Lock _lock = new();
    private readonly Action<DeadLetter>? _observer;
    private readonly AskTable _asks;
    private long _total;
    private int _next;

    internal DeadLetterOffice(RuntimeOptions options, AskTable asks)
    {
        _recent = new DeadLetter?[options.DeadLettersKept];
        _observer = options.OnDeadLetter;
        _asks = asks;
    }

    /// <summary>All dead letters so far.</summary>
    public long Count => Volatile.Read(ref _total);

    /// <summary>The runtime's link to other processes, if any: failed asks that came through it are reported back.</summary>
    internal Remote.RuntimeLink? Link { get; set; }

    /// <summary>Dead letters so far for one reason.</summary>
    public long CountOf(DeadLetterReason reason) => Volatile.Read(ref _counts[(int)reason]);

    /// <summary>The most recent dead letters, oldest first (at most <see cref="RuntimeOptions.DeadLettersKept"/>).</summary>
    public IReadOnlyList<DeadLetter> Recent()
    {
        lock (_lock)
        {
            var list = new List<DeadLetter>(_recent.Length);
            for (int i = 0; i < _recent.Length; i++)
            {
                if (_recent[(_next + i) % _recent.Length] is { } letter)
                {
                    list.Add(letter);
                }
            }

            return list;
        }
    }

    internal void Post(DeadLetterReason reason, byte[] frame, Exception? exception)
    {
        var letter = new DeadLetter(reason, frame, exception);
        Interlocked.Increment(ref _counts[(int)reason]);
        Interlocked.Increment(ref _total);
        if (_recent.Length > 0)
        {
            lock (_lock)
            {
                _recent[_next] = letter;
                _next = (_next + 1) % _recent.Length;
            }
        }

        EnvelopeHeader header = MemoryMarshal.Read<EnvelopeHeader>(frame);
        if (header.Kind == MessageKind.Ask)
        {
            if ((header.Flags & EnvelopeFlags.Remote) != 0)
            {
                // The asker is in another process: tell it, so that its ask fails now rather than at its timeout.
                Link?.OnRemoteAskFailed(in header, reason);
            }
            else if (_asks.TryTake(header.CorrelationId) is { } op)
            {
                op.SetException(new UndeliverableException(header.Target, reason, exception));
            }
        }

        _observer?.Invoke(letter);
    }

    /// <summary>Dead-letters a message that never reached a ring (refused at the sender).</summary>
    internal void Post<T>(DeadLetterReason reason, in EnvelopeHeader header, in T payload, Exception? exception)
    {
        byte[] body;
        try
        {
            body = Serialization.FastSerializer.Serialize(in payload);
        }
#pragma warning disable CA1031 // The payload that cannot be written is dead-lettered without its bytes.
        catch
#pragma warning restore CA1031
        {
            body = [];
        }

        var frame = new byte[EnvelopeHeader.Size + body.Length];
        EnvelopeHeader copy = header;
        copy.Flags &= ~(EnvelopeFlags.Overflow | EnvelopeFlags.Traced);
        copy.PayloadLength = (uint)body.Length;
        copy.Length = (uint)frame.Length;
        MemoryMarshal.Write(frame, in copy);
        body.CopyTo(frame, EnvelopeHeader.Size);
        Post(reason, frame, exception);
    }
}
