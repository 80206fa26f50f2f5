using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using FastAgents.Perf.Load;
using Xunit;

namespace FastAgents.Perf.Tests;

/// <summary>Sends that complete later, on another thread, through pooled completion sources (as the load command's targets do).</summary>
[Collection(AllocationCollection.Name)]
public sealed class PendingSendTests
{
    [Fact]
    public void OpenModel_PendingSendsOnPooledSources_AreAllRecordedWithoutAllocatingPerSend()
    {
        using var target = new DeferredTarget();
        var options = new OpenModelOptions
        {
            Schedule = RateSchedule.Constant(100_000, TimeSpan.FromMilliseconds(300)),
            WarmUp = TimeSpan.FromMilliseconds(100),

            // Bounds the pools: a stall of the machine (they happen here) piles sends up, and without a cap the pools
            // would grow to match, which is allocation per stall, not per send. Sends over the cap are dropped, counted.
            MaxInFlight = 512,
        };

        LoadResult result = OpenModelRunner.Run(target, options);

        Assert.Equal(30_000, result.Issued);
        Assert.Equal(result.Issued, result.Ok + result.Dropped);
        Assert.Equal(0, result.Fail);
        Assert.Equal(0, result.Unfinished);
        Assert.Equal(result.Ok, result.Response.TotalCount);

        // A send that completes later is watched by a pooled object: nothing per send. (An async method per pending
        // send, as before, costs well over a hundred bytes each.)
        Assert.True(result.AllocatedBytesPerMessage < 32, $"{result.AllocatedBytesPerMessage:0.0} bytes per message");
    }

    [Fact]
    public void ClosedModel_PendingSendsOnPooledSources_AreAllRecordedWithoutAllocatingPerSend()
    {
        using var target = new DeferredTarget();
        var options = new ClosedModelOptions
        {
            Concurrency = 2,
            WarmUp = TimeSpan.FromMilliseconds(100),
            Duration = TimeSpan.FromSeconds(60),
            MaxCount = 20_000,
        };

        LoadResult result = ClosedModelRunner.Run(target, options);

        Assert.Equal(20_000, result.Ok);
        Assert.Equal(0, result.Fail);
        Assert.True(result.AllocatedBytesPerMessage < 32, $"{result.AllocatedBytesPerMessage:0.0} bytes per message");
    }

    [Fact]
    public void OpenModel_PendingSendsWithProgress_ProgressCountsEachCompletionOnce()
    {
        // Completions recorded off the generator thread live in a second recorder, merged into the first at the end.
        using var target = new DeferredTarget();
        var progress = new LoadProgress();
        var options = new OpenModelOptions { Schedule = RateSchedule.Constant(10_000, TimeSpan.FromMilliseconds(200)), Progress = progress };

        LoadResult result = OpenModelRunner.Run(target, options);
        LoadProgressSnapshot snapshot = progress.Read();

        Assert.Equal(LoadPhase.Finished, snapshot.Phase);
        Assert.Equal(result.Ok, snapshot.Ok);
        Assert.Equal(result.Sent, snapshot.Sent);
        Assert.Equal(2_000, snapshot.Ok + snapshot.Dropped);
    }

    [Fact]
    public void OpenModel_PendingSendsThatFail_AreCountedAsFailures()
    {
        using var target = new DeferredTarget(failEvery: 4);
        var options = new OpenModelOptions { Schedule = RateSchedule.Constant(10_000, TimeSpan.FromMilliseconds(100)) };

        LoadResult result = OpenModelRunner.Run(target, options);

        Assert.Equal(1_000, result.Issued);
        Assert.Equal(250, result.Fail);
        Assert.Equal(750, result.Ok);
    }

    /// <summary>Returns pending tasks on pooled sources; a thread of its own completes them in order.</summary>
    private sealed class DeferredTarget : ILoadTarget, IDisposable
    {
        private readonly ConcurrentQueue<Source> _free = new();
        private readonly ConcurrentQueue<(Source Source, bool Ok)> _due = new();
        private readonly Thread _completer;
        private readonly int _failEvery;
        private volatile bool _stop;

        public DeferredTarget(int failEvery = 0)
        {
            _failEvery = failEvery;
            for (int i = 0; i < 1_024; i++)
            {
                _free.Enqueue(new Source(this));
            }

            _completer = new Thread(Complete) { IsBackground = true, Name = "deferred completer" };
            _completer.Start();
        }

        public ValueTask<bool> SendAsync(long sequence, CancellationToken cancellationToken)
        {
            if (!_free.TryDequeue(out Source? source))
            {
                source = new Source(this);
            }

            ValueTask<bool> task = source.Task;
            _due.Enqueue((source, _failEvery == 0 || sequence % _failEvery != 0));
            return task;
        }

        public void Dispose()
        {
            _stop = true;
            _completer.Join();
        }

        private void Complete()
        {
            var spinner = default(SpinWait);
            while (!_stop)
            {
                if (_due.TryDequeue(out (Source Source, bool Ok) item))
                {
                    item.Source.SetResult(item.Ok);
                    spinner = default;
                }
                else
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }
        }

        private sealed class Source(DeferredTarget owner) : IValueTaskSource<bool>
        {
            private ManualResetValueTaskSourceCore<bool> _core;

            public ValueTask<bool> Task => new(this, _core.Version);

            public void SetResult(bool ok) => _core.SetResult(ok);

            public bool GetResult(short token)
            {
                try
                {
                    return _core.GetResult(token);
                }
                finally
                {
                    _core.Reset();
                    owner._free.Enqueue(this);
                }
            }

            public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

            public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
                _core.OnCompleted(continuation, state, token, flags);
        }
    }
}
