using System.Diagnostics.Metrics;

namespace FastAgents.Runtime.Internal;

/// <summary>
/// The runtime's instruments on the meter "FastAgents". Counters are read from the workers' own counters when a
/// listener collects, so the message path pays nothing for them; handler time is sampled (one call in 64) and
/// only while a listener is on it.
/// </summary>
internal sealed class RuntimeMetrics : IDisposable
{
    public const string MeterName = "FastAgents";

    private readonly Meter _meter;
    private readonly Histogram<double> _handlerTime;
    private readonly Counter<long> _askTimeouts;

    public RuntimeMetrics(AgentRuntime runtime)
    {
        _meter = new Meter(MeterName, null, [new("runtime", runtime.Options.Name)]);
        _meter.CreateObservableCounter("fastagents.messages.sent", () => runtime.MessagesSent, "{message}", "Envelopes sent.");
        _meter.CreateObservableCounter("fastagents.messages.handled", () => runtime.MessagesHandled, "{message}", "Envelopes whose handler completed.");
        _meter.CreateObservableCounter("fastagents.handler.faults", () => runtime.HandlerFaults, "{exception}", "Handler exceptions.");
        _meter.CreateObservableCounter("fastagents.messages.dead_lettered", () => DeadLettered(runtime), "{message}", "Messages that could not be delivered, by reason.");
        _meter.CreateObservableGauge("fastagents.queue.depth", () => QueueDepths(runtime), "{message}", "Envelopes waiting in each worker's inbox.");
        _handlerTime = _meter.CreateHistogram<double>("fastagents.handler.duration", "us", "Time in handlers (sampled, one call in 64).");
        _askTimeouts = _meter.CreateCounter<long>("fastagents.asks.timed_out", "{ask}", "Asks that got no reply in time.");
    }

    public bool HandlerTimeEnabled => _handlerTime.Enabled;

    public void RecordHandlerTime(TimeSpan elapsed) => _handlerTime.Record(elapsed.TotalMicroseconds);

    public void AskTimedOut() => _askTimeouts.Add(1);

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> DeadLettered(AgentRuntime runtime)
    {
        foreach (DeadLetterReason reason in Enum.GetValues<DeadLetterReason>())
        {
            yield return new Measurement<long>(runtime.DeadLetters.CountOf(reason), new KeyValuePair<string, object?>("reason", reason.ToString()));
        }
    }

    private static IEnumerable<Measurement<long>> QueueDepths(AgentRuntime runtime)
    {
        foreach (Worker worker in runtime.Workers)
        {
            yield return new Measurement<long>(worker.QueueDepth, new KeyValuePair<string, object?>("worker", worker.Index));
        }
    }
}
