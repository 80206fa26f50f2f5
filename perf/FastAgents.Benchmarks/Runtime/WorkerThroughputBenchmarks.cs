using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using FastAgents.Runtime;
using FastAgents.Runtime.Envelopes;
using FastAgents.Runtime.Workers;

namespace FastAgents.Benchmarks.Runtime;

/// <summary>
/// One sender posting to one worker: each message is a full envelope (96-byte header copied into the slot,
/// a long payload serialized in place, published, handled, deserialized) against the usual shape, a
/// message struct through an unbounded Channel read by a task, in the same run. This is the worker's
/// floor, before agents and routing are layered on it.
/// </summary>
public class WorkerThroughputBenchmarks
{
    public const int Messages = 1 << 20;

    private static readonly AgentType s_type = AgentType.Register("bench");

    private Worker<SumHandler> _worker = null!;
    private EnvelopeHeader _header;
    private long _posted;

    private Channel<Message> _channel = null!;
    private Task _reader = null!;
    private long _read;
    private long _written;

    [GlobalSetup(Target = nameof(WorkerPost))]
    public void SetupWorker()
    {
        _worker = new Worker<SumHandler>("bench worker", default);
        _worker.Start();
        _header = new EnvelopeHeader { Version = EnvelopeHeader.CurrentVersion, Kind = MessageKind.Tell, Target = s_type[1] };
        _posted = 0;
    }

    [GlobalCleanup(Target = nameof(WorkerPost))]
    public void CleanupWorker() => _worker.Stop(TimeSpan.FromSeconds(10));

    [GlobalSetup(Target = nameof(ChannelWithReaderTask))]
    public void SetupChannel()
    {
        _channel = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _reader = Task.Run(ReadAsync);
        _written = 0;
    }

    [GlobalCleanup(Target = nameof(ChannelWithReaderTask))]
    public void CleanupChannel()
    {
        _channel.Writer.TryComplete();
        _reader.GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public void ChannelWithReaderTask()
    {
        ChannelWriter<Message> writer = _channel.Writer;
        AgentId target = s_type[1];
        for (long i = 0; i < Messages; i++)
        {
            writer.TryWrite(new Message(target, i));
        }

        _written += Messages;
        var spinner = new SpinWait();
        while (Volatile.Read(ref _read) < _written)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public void WorkerPost()
    {
        for (long i = 0; i < Messages; i++)
        {
            _worker.Post(0, _header, i, 1);
        }

        _posted += Messages;
        var spinner = new SpinWait();
        while (_worker.Handled < _posted)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private async Task ReadAsync()
    {
        ChannelReader<Message> reader = _channel.Reader;
        long count = 0;
        long sum = 0;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out Message m))
            {
                sum += m.Value;
                count++;
            }

            Volatile.Write(ref _read, count);
        }

        GC.KeepAlive(sum);
    }

    public readonly record struct Message(AgentId Target, long Value);

    public struct SumHandler : IEnvelopeHandler
    {
        public long Sum;

        public void Handle(ref EnvelopeSlot slot) => Sum += slot.ReadPayload<long>();
    }
}
