using System.Diagnostics;
using System.Net.Sockets;

namespace FastAgents.TransportBench.Relay;

/// <summary>
/// The raw-socket relay: the floor any router must be compared with. It accepts one receiver and one sender (each
/// identified by its hello byte, whatever the order they arrive in), then copies bytes from the sender to the receiver
/// with blocking 64 KiB reads and writes through one reused buffer on a dedicated thread, until the sender closes.
/// Its window opens <c>--warmup</c> seconds after the first byte and lasts <c>--seconds</c> (default: until the sender
/// closes); messages = bytes forwarded in the window / 64, since it does not parse frames.
/// </summary>
internal static class RelayMiddleRole
{
    public const string Usage = "relay-middle --listen PATH [--warmup W] [--seconds S]";

    public static int Run(RoleArguments args)
    {
        string path = args.GetString("listen");
        double warmup = args.GetSeconds("warmup", 0, allowZero: true);
        double seconds = args.GetSeconds("seconds", double.PositiveInfinity, allowZero: false);
        args.RejectUnknown();

        DeleteIfExists(path);
        Socket? receiver = null;
        Socket? sender = null;
        try
        {
            using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                listener.Bind(new UnixDomainSocketEndPoint(path));
                listener.Listen(2);
                Console.WriteLine("READY");
                for (int accepted = 0; accepted < 2; accepted++)
                {
                    Socket peer = listener.Accept();
                    byte hello = ReadHello(peer);
                    ref Socket? slot = ref hello == RelayFrame.ReceiverHello ? ref receiver : ref sender;
                    if (hello is not (RelayFrame.ReceiverHello or RelayFrame.SenderHello) || slot is not null)
                    {
                        peer.Dispose();
                        Console.Error.WriteLine($"relay-middle: unexpected hello byte 0x{hello:x2} on connection {accepted + 1}.");
                        return 1;
                    }

                    slot = peer;
                }
            }

            // Both slots are filled: two distinct valid hellos were accepted.
            Socket from = sender!;
            Socket to = receiver!;
            var window = new MeasuredWindow(warmup, seconds);
            SocketException? failure = null;
            var copier = new Thread(() => failure = Copy(from, to, window)) { Name = "relay-copy", IsBackground = true };
            copier.Start();
            copier.Join();
            if (failure is not null)
            {
                Console.Error.WriteLine($"relay-middle: copy failed: {failure.Message}");
                return 1;
            }

            Console.WriteLine(ResultRecord.Format("middle", window, errors: 0));
            return 0;
        }
        finally
        {
            sender?.Dispose();
            receiver?.Dispose();
            DeleteIfExists(path);
        }
    }

    private static SocketException? Copy(Socket from, Socket to, MeasuredWindow window)
    {
        byte[] buffer = new byte[RelayFrame.BufferSize];
        long forwarded = 0;
        try
        {
            while (true)
            {
                int received = from.Receive(buffer, 0, buffer.Length, SocketFlags.None);
                if (received == 0)
                {
                    break;
                }

                RelaySocket.SendAll(to, buffer.AsSpan(0, received));
                forwarded += received;
                long now = Stopwatch.GetTimestamp();
                window.Start(now);
                window.Observe(forwarded / RelayFrame.FrameLength, now);
            }

            window.Finish(forwarded / RelayFrame.FrameLength, Stopwatch.GetTimestamp());
            to.Shutdown(SocketShutdown.Send);
            return null;
        }
        catch (SocketException e)
        {
            return e;
        }
    }

    private static byte ReadHello(Socket peer)
    {
        Span<byte> hello = stackalloc byte[1];
        return peer.Receive(hello, SocketFlags.None) == 1 ? hello[0] : (byte)0;
    }

    private static void DeleteIfExists(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A stale socket file that cannot be removed makes Bind fail with a clearer message.
        }
    }
}
