using System.Diagnostics;
using System.Threading.Channels;
using FastAgents.Perf;
using FastAgents.Perf.Load;
using static FastAgents.Gate.Cases.AgentMessages;

namespace FastAgents.Gate.Cases;

/// <summary>
/// The peer of the runtime cases, the usual way of building two agents in .NET: an unbounded Channel per agent, a
/// reader task per agent, and a <see cref="TaskCompletionSource{TResult}"/> per ask.
/// </summary>
internal sealed class ChannelAgents : IDisposable
{
    private readonly Channel<Go> _sourceInbox = Channel.CreateUnbounded<Go>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<SinkMessage> _sinkInbox = Channel.CreateUnbounded<SinkMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ManualResetEventSlim _done = new();
    private readonly Task _source;
    private readonly Task _sink;
    private long _expected;

    public ChannelAgents()
    {
        _source = Task.Run(RunSourceAsync);
        _sink = Task.Run(RunSinkAsync);
    }

    /// <summary>Has the source send <paramref name="count"/> ticks to the sink and waits until the sink counted them.</summary>
    public void Tell(int count)
    {
        Volatile.Write(ref _expected, count);
        _done.Reset();
        _sourceInbox.Writer.TryWrite(new Go(count));
        _done.Wait();
    }

    /// <summary>
    /// Asks the sink <paramref name="count"/> times in a row from the calling thread, waiting for each reply by spinning
    /// (then yielding) on its task, and records each round trip in nanoseconds.
    /// </summary>
    public void Ask(int count, LogLinearHistogram histogram)
    {
        ChannelWriter<SinkMessage> sink = _sinkInbox.Writer;
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var reply = new TaskCompletionSource<Answer>();
            sink.TryWrite(new SinkMessage(default, new Question(i), reply));
            var spinner = default(SpinWait);
            while (!reply.Task.IsCompleted)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            Answer answer = reply.Task.Result;
            long end = Stopwatch.GetTimestamp();
            if (answer.Value != i + 1)
            {
                throw new InvalidOperationException("The peer's sink answered the wrong question.");
            }

            histogram.Record(StopwatchTicks.ToNanoseconds(end - start));
        }
    }

    public void Dispose()
    {
        _sourceInbox.Writer.TryComplete();
        _sinkInbox.Writer.TryComplete();
        Task.WaitAll(_source, _sink);
        _done.Dispose();
    }

    private async Task RunSourceAsync()
    {
        ChannelReader<Go> reader = _sourceInbox.Reader;
        ChannelWriter<SinkMessage> sink = _sinkInbox.Writer;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out Go go))
            {
                for (int i = 0; i < go.Count; i++)
                {
                    sink.TryWrite(new SinkMessage(new Tick(i), default, null));
                }
            }
        }
    }

    private async Task RunSinkAsync()
    {
        ChannelReader<SinkMessage> reader = _sinkInbox.Reader;
        long seen = 0;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out SinkMessage message))
            {
                if (message.Reply is { } reply)
                {
                    reply.SetResult(new Answer(message.Question.Value + 1));
                }
                else if (++seen == Volatile.Read(ref _expected))
                {
                    seen = 0;
                    _done.Set();
                }
            }
        }
    }

    private readonly record struct SinkMessage(Tick Tick, Question Question, TaskCompletionSource<Answer>? Reply);
}
