using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FastAgents.TransportBench.Http;

/// <summary>
/// The HTTP receiver: Kestrel on 127.0.0.1 with logging off, <c>POST /msg</c> deserializing a <see cref="BenchMessage"/>
/// with the source-generated context, counting it and answering 204. Its window opens <c>--warmup</c> seconds after the
/// first message; when it closes the role prints its RESULT and stops the server, which ends the sender's run too.
/// </summary>
internal sealed class HttpRecvRole
{
    public const string Usage = "http-recv --port P --seconds S [--warmup W]";

    /// <summary>How long to wait for a first message before giving up, so a lone receiver never waits forever.</summary>
    private static readonly TimeSpan s_firstMessageTimeout = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource _firstMessage = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _messages;
    private long _errors;
    private long _firstTimestamp;

    public static int Run(RoleArguments args)
    {
        int port = args.GetInt("port", null, 1, 65535);
        double seconds = args.GetSeconds("seconds", null, allowZero: false);
        double warmup = args.GetSeconds("warmup", 0, allowZero: true);
        args.RejectUnknown();
        return new HttpRecvRole().RunAsync(port, warmup, seconds).GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync(int port, double warmup, double seconds)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(IPAddress.Loopback, port);
        });

        await using WebApplication app = builder.Build();
        RequestDelegate handler = HandleAsync;
        app.MapPost("/msg", handler);
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"http-recv: cannot listen on 127.0.0.1:{port}: {e.Message}");
            return 1;
        }

        Console.WriteLine("READY");
        if (await Task.WhenAny(_firstMessage.Task, Task.Delay(s_firstMessageTimeout)) != _firstMessage.Task)
        {
            Console.Error.WriteLine($"http-recv: no message within {s_firstMessageTimeout.TotalSeconds} s.");
            return 1;
        }

        var window = new MeasuredWindow(warmup, seconds);
        window.Start(Volatile.Read(ref _firstTimestamp));
        while (!window.IsClosed)
        {
            await Task.Delay(MeasuredWindow.Until(window.NextDeadline));
            window.Observe(Interlocked.Read(ref _messages), Stopwatch.GetTimestamp());
        }

        Console.WriteLine(ResultRecord.Format("recv", window, Interlocked.Read(ref _errors)));
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stopTimeout.Token);
        return 0;
    }

    private async Task HandleAsync(HttpContext context)
    {
        BenchMessage? message = await context.Request.ReadFromJsonAsync(BenchJsonContext.Default.BenchMessage, context.RequestAborted);
        if (message is null || message.Payload.Length != BenchMessage.StandardPayload.Length)
        {
            Interlocked.Increment(ref _errors);
        }

        if (Interlocked.Increment(ref _messages) == 1)
        {
            Volatile.Write(ref _firstTimestamp, Stopwatch.GetTimestamp());
            _firstMessage.TrySetResult();
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
