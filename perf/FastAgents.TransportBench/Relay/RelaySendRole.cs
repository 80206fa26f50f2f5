using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;

namespace FastAgents.TransportBench.Relay;

/// <summary>
/// The relay sender: writes whole 64 KiB buffers of 64-byte frames as fast as the socket takes them. It runs for
/// warm-up + seconds + linger; its window is [warm-up, warm-up + seconds) from its start, and the linger keeps frames
/// flowing while the receiver (whose clock starts at its first frame, a little later) finishes its own window.
/// Only the sequence numbers and the timestamp change between buffers, so the steady state allocates nothing.
/// </summary>
internal static class RelaySendRole
{
    public const string Usage = "relay-send --connect PATH --seconds S [--warmup W] [--linger L]";

    public static int Run(RoleArguments args)
    {
        string path = args.GetString("connect");
        double seconds = args.GetSeconds("seconds", null, allowZero: false);
        double warmup = args.GetSeconds("warmup", 0, allowZero: true);
        double linger = args.GetSeconds("linger", 0, allowZero: true);
        args.RejectUnknown();

        byte[] buffer = CreateBuffer();
        var window = new MeasuredWindow(warmup, seconds);
        try
        {
            using Socket socket = RelaySocket.Connect(path, RelayFrame.SenderHello);
            long start = Stopwatch.GetTimestamp();
            long stopAt = start + (long)((warmup + seconds + linger) * Stopwatch.Frequency);
            window.Start(start);
            long sequence = 0;
            long now = start;
            while (now < stopAt)
            {
                sequence = Stamp(buffer, sequence, now);
                RelaySocket.SendAll(socket, buffer);
                now = Stopwatch.GetTimestamp();
                window.Observe(sequence, now);
            }

            window.Finish(sequence, now);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"relay-send: {e.Message} ({path}).");
            return 1;
        }

        Console.WriteLine(ResultRecord.Format("send", window, errors: 0));
        return 0;
    }

    private static byte[] CreateBuffer()
    {
        byte[] buffer = new byte[RelayFrame.BufferSize];
        for (int offset = 0; offset < buffer.Length; offset += RelayFrame.FrameLength)
        {
            Span<byte> frame = buffer.AsSpan(offset, RelayFrame.FrameLength);
            frame.Fill((byte)'.');
            BinaryPrimitives.WriteInt32LittleEndian(frame[RelayFrame.LengthOffset..], RelayFrame.FrameLength);
        }

        return buffer;
    }

    /// <summary>Numbers the buffer's frames from <paramref name="sequence"/> and returns the next sequence number.</summary>
    private static long Stamp(byte[] buffer, long sequence, long timestamp)
    {
        for (int offset = 0; offset < buffer.Length; offset += RelayFrame.FrameLength)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(offset + RelayFrame.SequenceOffset), sequence++);
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(offset + RelayFrame.TimestampOffset), timestamp);
        }

        return sequence;
    }
}
