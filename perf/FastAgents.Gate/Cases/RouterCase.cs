using System.Net.Sockets;
using FastAgents.Gate.Comparison;
using FastAgents.Router;
using FastAgents.Runtime;
using FastAgents.Transport;

namespace FastAgents.Gate.Cases;

/// <summary>
/// <c>router.tell</c>: 64-byte tells per second from a runtime, through its RouterClient, a router, and a second
/// RouterClient to an agent in a second runtime, all over Unix sockets in this process; against a raw relay over
/// Unix sockets (a sender writing 64-byte frames in 64 KiB writes, a relay thread and a counting reader thread, no
/// other work): the same three hops with nothing but the kernel's copies, the physical limit.
/// </summary>
/// <remarks>
/// In one process rather than three, so that the gate stays quick and allocation is counted for every party at once
/// (router, both clients, both runtimes): it must be 0 bytes per tell.
/// </remarks>
internal sealed class RouterCase : GateCase
{
    public const string Name = "router.tell";

    private const int Messages = 400_000;
    private const int FrameSize = 64;
    private const int ChunkSize = 64 * 1024;

    private static readonly AgentType s_sinkType = AgentType.Register("gate/router-sink");

    public override string Title => Name;

    public override double SlowdownNanoseconds => 1500;

    protected override IReadOnlyList<CaseMeasurement> Run<TCost>(int rounds)
    {
        string folder = Directory.CreateTempSubdirectory("fa-gate-").FullName;
        try
        {
            string routerPath = Path.Combine(folder, "router.sock");
            var router = new RouterServer(new RouterOptions { SocketPath = routerPath, HttpPort = null });
            router.StartAsync().GetAwaiter().GetResult();
            var sink = new Sink();
            using var receiving = new AgentRuntime(new RuntimeOptions { Workers = 1, Name = "gate-recv", LaneCapacity = 1 << 16 });
            var target = receiving.Spawn(s_sinkType, 1, () => sink);
            using var sending = new AgentRuntime(new RuntimeOptions { Workers = 1, Name = "gate-send", SendTimeout = TimeSpan.FromSeconds(30) });
            RouterClient receiver = RouterClient.ConnectAsync(receiving, new RouterClientOptions { Endpoint = routerPath, Name = "gate-recv" }).GetAwaiter().GetResult();
            RouterClient sender = RouterClient.ConnectAsync(sending, new RouterClientOptions { Endpoint = routerPath, Name = "gate-send" }).GetAwaiter().GetResult();
            using var relay = new Relay(Path.Combine(folder, "relay.sock"));
            try
            {
                WaitUntilReachable(sending, target);
                long sequence = 0;
                for (int warm = 0; warm < 3; warm++)
                {
                    sequence = Ours<TCost>(sending, target, sink, sequence);
                    relay.Move(Messages);
                }

                return
                [
                    RateRounds(
                        Name,
                        rounds,
                        Messages,
                        () => sequence = Ours<TCost>(sending, target, sink, sequence),
                        () => relay.Move(Messages),
                        wholeProcess: true),
                ];
            }
            finally
            {
                sender.DisposeAsync().AsTask().GetAwaiter().GetResult();
                receiver.DisposeAsync().AsTask().GetAwaiter().GetResult();
                router.StopAsync(TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Tells <see cref="Messages"/> payloads to the sink through the router and waits until it has them all.</summary>
    private static long Ours<TCost>(AgentRuntime sending, AgentId target, Sink sink, long sequence)
        where TCost : struct, IOpCost
    {
        sink.Expect(sequence + Messages);
        for (int i = 0; i < Messages; i++)
        {
            sending.Tell(target, new Wide(sequence++, 0, 0, 0, 0, 0, 0, 0));
            TCost.Pay();
        }

        if (!sink.Done.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException($"the router case's sink got {sink.Seen} of {sequence} tells in 60 s");
        }

        if (sink.OutOfOrder != 0)
        {
            throw new InvalidOperationException($"the router case's sink saw {sink.OutOfOrder} tells out of order");
        }

        return sequence;
    }

    private static void WaitUntilReachable(AgentRuntime sending, AgentId target)
    {
        long deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            try
            {
                sending.AskAsync<Wide, Wide>(target, new Wide(-1, 0, 0, 0, 0, 0, 0, 0), TimeSpan.FromSeconds(5)).AsTask().GetAwaiter().GetResult();
                return;
            }
            catch (UndeliverableException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>A 64-byte payload.</summary>
    private readonly record struct Wide(long Sequence, long A, long B, long C, long D, long E, long F, long G);

    /// <summary>Counts tells, checks their order, and answers the readiness ask.</summary>
    private sealed class Sink : Agent, IHandle<Wide>
    {
        private long _expected;
        private long _next;
        private long _seen;

        public ManualResetEventSlim Done { get; } = new();

        public long Seen => Volatile.Read(ref _seen);

        public long OutOfOrder;

        public void Expect(long total)
        {
            Done.Reset();
            Volatile.Write(ref _expected, total);
            if (Volatile.Read(ref _seen) >= total)
            {
                Done.Set();
            }
        }

        protected override void Configure(HandlerMap handlers) => handlers.Add<Wide>(this);

        public void Handle(in Wide message, AgentContext context)
        {
            if (context.Kind == MessageKind.Ask)
            {
                context.Reply(in message);
                return;
            }

            if (message.Sequence != _next)
            {
                OutOfOrder++;
            }

            _next = message.Sequence + 1;
            long seen = _seen + 1;
            Volatile.Write(ref _seen, seen);
            if (seen == Volatile.Read(ref _expected))
            {
                Done.Set();
            }
        }
    }

    /// <summary>
    /// The peer: sender socket -> relay thread -> reader thread, over Unix sockets, blocking calls only (no
    /// asynchronous operation ever runs on these sockets, so each call is one system call).
    /// </summary>
    private sealed class Relay : IDisposable
    {
        private readonly Socket _send;
        private readonly Socket _relayIn;
        private readonly Socket _relayOut;
        private readonly Socket _receive;
        private readonly byte[] _chunk = new byte[ChunkSize];
        private readonly Thread _relay;
        private readonly Thread _reader;
        private readonly ManualResetEventSlim _done = new();
        private long _expectedBytes;
        private long _receivedBytes;

        public Relay(string path)
        {
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(4);
            (_send, _relayIn) = Pair(listener, path);
            (_relayOut, _receive) = Pair(listener, path);
            File.Delete(path);
            _relay = new Thread(RelayLoop) { IsBackground = true, Name = "gate relay" };
            _reader = new Thread(ReadLoop) { IsBackground = true, Name = "gate relay reader" };
            _relay.Start();
            _reader.Start();
        }

        /// <summary>Sends <paramref name="frames"/> 64-byte frames and waits until the reader has them all.</summary>
        public void Move(int frames)
        {
            long bytes = (long)frames * FrameSize;
            _done.Reset();
            Volatile.Write(ref _expectedBytes, Volatile.Read(ref _receivedBytes) + bytes);
            long left = bytes;
            while (left > 0)
            {
                int size = (int)Math.Min(left, ChunkSize);
                for (int offset = 0; offset < size; offset += FrameSize)
                {
                    _chunk[offset] = FrameSize; // a length prefix, as a relay of framed messages would carry
                }

                SendAll(_send, _chunk.AsSpan(0, size));
                left -= size;
            }

            if (!_done.Wait(TimeSpan.FromSeconds(60)))
            {
                throw new InvalidOperationException("the relay did not deliver its frames in 60 s");
            }
        }

        public void Dispose()
        {
            _send.Dispose();
            _relay.Join(5_000);
            _relayOut.Dispose();
            _reader.Join(5_000);
            _relayIn.Dispose();
            _receive.Dispose();
            _done.Dispose();
        }

        private static (Socket Client, Socket Server) Pair(Socket listener, string path)
        {
            var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(path));
            return (client, listener.Accept());
        }

        private static void SendAll(Socket socket, ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                data = data[socket.Send(data)..];
            }
        }

        private void RelayLoop()
        {
            byte[] buffer = new byte[ChunkSize];
            try
            {
                int read;
                while ((read = _relayIn.Receive(buffer)) > 0)
                {
                    SendAll(_relayOut, buffer.AsSpan(0, read));
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }

            try
            {
                _relayOut.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }

        private void ReadLoop()
        {
            byte[] buffer = new byte[ChunkSize];
            try
            {
                int read;
                while ((read = _receive.Receive(buffer)) > 0)
                {
                    long total = _receivedBytes + read;
                    Volatile.Write(ref _receivedBytes, total);
                    if (total >= Volatile.Read(ref _expectedBytes))
                    {
                        _done.Set();
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
