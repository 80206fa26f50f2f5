using System.Threading.Channels;

namespace FastAgents.Benchmarks.Rings;

/// <summary>
/// The idiomatic high-throughput Channels consumer: wait asynchronously, then drain with TryRead, and
/// publish the count after each drain so the producer side can tell when everything arrived.
/// </summary>
public sealed class ChannelConsumer
{
    private readonly ChannelReader<long> _reader;
    private long _consumed;
    private long _sum;

    public ChannelConsumer(ChannelReader<long> reader)
    {
        _reader = reader;
        Completion = Task.Run(ConsumeAsync);
    }

    public Task Completion { get; }

    public long Consumed => Volatile.Read(ref _consumed);

    public long Sum => _sum;

    private async Task ConsumeAsync()
    {
        long count = 0;
        long sum = 0;
        while (await _reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_reader.TryRead(out long value))
            {
                sum += value;
                count++;
            }

            _sum = sum;
            Volatile.Write(ref _consumed, count);
        }
    }

    public void WaitFor(long target)
    {
        var spinner = new SpinWait();
        while (Consumed < target)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
