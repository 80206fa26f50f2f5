using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace FastAgents.TransportBench.Http;

/// <summary>
/// The HTTP sender: <c>--concurrency</c> async loops, each with one <c>POST /msg</c> in flight, over a
/// <see cref="SocketsHttpHandler"/> allowed one connection per loop. Bodies are serialized to bytes first so each
/// request carries a Content-Length (a streamed JsonContent would be sent chunked). It runs for warm-up + seconds +
/// linger and measures 204 responses in [warm-up, warm-up + seconds) from its start; a failure after its window
/// (the receiver stops when its own window closes) ends that loop quietly.
/// </summary>
internal sealed class HttpSendRole
{
    public const string Usage = "http-send --port P --seconds S [--concurrency C] [--warmup W] [--linger L]";

    private long _completed;
    private long _errors;
    private long _nextSequence;
    private int _windowClosed;

    public static int Run(RoleArguments args)
    {
        int port = args.GetInt("port", null, 1, 65535);
        double seconds = args.GetSeconds("seconds", null, allowZero: false);
        int concurrency = args.GetInt("concurrency", 64, 1, 10_000);
        double warmup = args.GetSeconds("warmup", 0, allowZero: true);
        double linger = args.GetSeconds("linger", 0, allowZero: true);
        args.RejectUnknown();
        return new HttpSendRole().RunAsync(port, concurrency, warmup, seconds, linger).GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync(int port, int concurrency, double warmup, double seconds, double linger)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.ExpectContinue = false;
        var target = new Uri($"http://127.0.0.1:{port}/msg");

        using var stop = new CancellationTokenSource();
        var window = new MeasuredWindow(warmup, seconds);
        long start = Stopwatch.GetTimestamp();
        window.Start(start);
        var loops = new Task[concurrency];
        for (int i = 0; i < loops.Length; i++)
        {
            loops[i] = SendLoopAsync(client, target, stop.Token);
        }

        while (!window.IsClosed)
        {
            await Task.Delay(MeasuredWindow.Until(window.NextDeadline));
            window.Observe(Interlocked.Read(ref _completed), Stopwatch.GetTimestamp());
        }

        Volatile.Write(ref _windowClosed, 1);
        Console.WriteLine(ResultRecord.Format("send", window, Interlocked.Read(ref _errors)));

        TimeSpan left = TimeSpan.FromSeconds(warmup + seconds + linger) - Stopwatch.GetElapsedTime(start);
        await Task.WhenAny(Task.WhenAll(loops), Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero));
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return 0;
    }

    private async Task SendLoopAsync(HttpClient client, Uri target, CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            var message = new BenchMessage
            {
                Seq = Interlocked.Increment(ref _nextSequence),
                SentTicks = Stopwatch.GetTimestamp(),
                Payload = BenchMessage.StandardPayload,
            };
            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(message, BenchJsonContext.Default.BenchMessage));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            try
            {
                using HttpResponseMessage response = await client.PostAsync(target, content, stop);
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.NoContent ? ref _completed : ref _errors);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // A refused or timed-out request; once the window closed this is the receiver shutting down.
                if (Volatile.Read(ref _windowClosed) != 0)
                {
                    return;
                }

                Interlocked.Increment(ref _errors);
                await Task.Delay(10, CancellationToken.None); // A refused connection fails at once: do not spin.
            }
        }
    }
}
