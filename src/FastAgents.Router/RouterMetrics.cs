using System.Diagnostics;
using System.Globalization;
using System.Text;
using FastAgents.Runtime;
using FastAgents.Transport.Protocol;

namespace FastAgents.Router;

/// <summary>
/// The router's counters, written by connection loops once per read or write batch (not per frame), and rendered
/// in Prometheus text format at <c>/metrics</c>.
/// </summary>
public sealed class RouterMetrics
{
    // Upper bounds (seconds) of the routing-time histogram buckets: the time from a read completing to its frames
    // sitting in their targets' queues.
    private static readonly double[] s_bounds = [1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 5e-3, 1e-2, 0.1, 1];

    private readonly long[] _undeliverable = new long[Enum.GetValues<DeadLetterReason>().Length];
    private readonly long[] _errors = new long[32];
    private readonly long[] _buckets = new long[s_bounds.Length + 1];
    private long _latencyCount;
    private long _latencySumTicks;
    private long _accepted;
    private long _current;
    private long _framesIn;
    private long _framesOut;
    private long _bytesIn;
    private long _bytesOut;
    private long _stalls;

    /// <summary>Connections accepted since start.</summary>
    public long ConnectionsAccepted => Volatile.Read(ref _accepted);

    /// <summary>Connections open now.</summary>
    public long Connections => Volatile.Read(ref _current);

    /// <summary>Frames read from clients.</summary>
    public long FramesIn => Volatile.Read(ref _framesIn);

    /// <summary>Frames queued to clients (envelopes routed and control frames).</summary>
    public long FramesOut => Volatile.Read(ref _framesOut);

    /// <summary>Bytes read from clients.</summary>
    public long BytesIn => Volatile.Read(ref _bytesIn);

    /// <summary>Bytes written to clients.</summary>
    public long BytesOut => Volatile.Read(ref _bytesOut);

    /// <summary>Times a read loop paused because the connection it routed to was full.</summary>
    public long Stalls => Volatile.Read(ref _stalls);

    /// <summary>Envelopes refused with <paramref name="reason"/> (reported back to their senders).</summary>
    public long Undeliverable(DeadLetterReason reason) => Volatile.Read(ref _undeliverable[(int)reason]);

    /// <summary>Connections closed for <paramref name="code"/>.</summary>
    public long ProtocolErrors(ErrorCode code) => (int)code < _errors.Length ? Volatile.Read(ref _errors[(int)code]) : 0;

    internal void Accepted()
    {
        Interlocked.Increment(ref _accepted);
        Interlocked.Increment(ref _current);
    }

    internal void Closed() => Interlocked.Decrement(ref _current);

    internal void Read(long frames, long bytes)
    {
        Interlocked.Add(ref _framesIn, frames);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    internal void Queued(long frames) => Interlocked.Add(ref _framesOut, frames);

    internal void Wrote(long bytes) => Interlocked.Add(ref _bytesOut, bytes);

    internal void Stalled() => Interlocked.Increment(ref _stalls);

    internal void Refused(DeadLetterReason reason) => Interlocked.Increment(ref _undeliverable[(int)reason]);

    internal void ProtocolError(ErrorCode code)
    {
        if ((int)code < _errors.Length)
        {
            Interlocked.Increment(ref _errors[(int)code]);
        }
    }

    internal void RoutingTime(long ticks)
    {
        double seconds = (double)ticks / Stopwatch.Frequency;
        int bucket = 0;
        while (bucket < s_bounds.Length && seconds > s_bounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _latencyCount);
        Interlocked.Add(ref _latencySumTicks, ticks);
    }

    /// <summary>Writes every metric in Prometheus text exposition format (version 0.0.4).</summary>
    public void WritePrometheus(StringBuilder text, int agents, long queuedBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        CultureInfo c = CultureInfo.InvariantCulture;
        Gauge(text, "fastagents_router_connections", "Connections open now.", Connections);
        Counter(text, "fastagents_router_connections_accepted_total", "Connections accepted since start.", ConnectionsAccepted);
        Gauge(text, "fastagents_router_agents", "Agents registered by connected processes.", agents);
        Counter(text, "fastagents_router_frames_in_total", "Frames read from clients.", FramesIn);
        Counter(text, "fastagents_router_frames_out_total", "Frames queued to clients.", FramesOut);
        Counter(text, "fastagents_router_bytes_in_total", "Bytes read from clients.", BytesIn);
        Counter(text, "fastagents_router_bytes_out_total", "Bytes written to clients.", BytesOut);
        Gauge(text, "fastagents_router_queued_bytes", "Bytes waiting in the router to be written to clients.", queuedBytes);
        Counter(text, "fastagents_router_stalls_total", "Times a sender was paused because its target connection was full.", Stalls);
        text.Append("# HELP fastagents_router_undeliverable_total Envelopes refused by the router, by reason.\n");
        text.Append("# TYPE fastagents_router_undeliverable_total counter\n");
        foreach (DeadLetterReason reason in Enum.GetValues<DeadLetterReason>())
        {
            text.Append(c, $"fastagents_router_undeliverable_total{{reason=\"{reason}\"}} {Undeliverable(reason)}\n");
        }

        text.Append("# HELP fastagents_router_protocol_errors_total Connections closed for a protocol error, by code.\n");
        text.Append("# TYPE fastagents_router_protocol_errors_total counter\n");
        foreach (ErrorCode code in Enum.GetValues<ErrorCode>())
        {
            if (code != ErrorCode.None)
            {
                text.Append(c, $"fastagents_router_protocol_errors_total{{code=\"{code}\"}} {ProtocolErrors(code)}\n");
            }
        }

        text.Append("# HELP fastagents_router_routing_seconds Time from a read completing to its frames being queued to their targets.\n");
        text.Append("# TYPE fastagents_router_routing_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < s_bounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _buckets[i]);
            text.Append(c, $"fastagents_router_routing_seconds_bucket{{le=\"{s_bounds[i]:G}\"}} {cumulative}\n");
        }

        cumulative += Volatile.Read(ref _buckets[^1]);
        text.Append(c, $"fastagents_router_routing_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n");
        text.Append(c, $"fastagents_router_routing_seconds_sum {(double)Volatile.Read(ref _latencySumTicks) / Stopwatch.Frequency:G}\n");
        text.Append(c, $"fastagents_router_routing_seconds_count {Volatile.Read(ref _latencyCount)}\n");
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "gauge", value);

    private static void Counter(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "counter", value);

    private static void Metric(StringBuilder text, string name, string help, string type, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
