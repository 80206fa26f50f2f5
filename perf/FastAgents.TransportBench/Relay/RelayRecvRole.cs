using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;

namespace FastAgents.TransportBench.Relay;

/// <summary>
/// The relay receiver: reads 64 KiB at a time, walks the length prefixes (a frame may straddle two reads: its head is
/// moved to the front of the buffer and the next read appends to it), and checks that sequence numbers arrive in
/// order; each gap or step back counts one error. Its window opens <c>--warmup</c> seconds after the first frame. It
/// prints its RESULT as soon as the window closes and keeps draining until the sender closes, so upstream never sees
/// a dead peer.
/// </summary>
internal static class RelayRecvRole
{
    public const string Usage = "relay-recv --connect PATH --seconds S [--warmup W]";

    public static int Run(RoleArguments args)
    {
        string path = args.GetString("connect");
        double seconds = args.GetSeconds("seconds", null, allowZero: false);
        double warmup = args.GetSeconds("warmup", 0, allowZero: true);
        args.RejectUnknown();

        byte[] buffer = new byte[RelayFrame.BufferSize];
        var window = new MeasuredWindow(warmup, seconds);
        var state = default(ReceiveState);
        try
        {
            using Socket socket = RelaySocket.Connect(path, RelayFrame.ReceiverHello);
            Console.WriteLine("READY");
            int filled = 0;
            bool reported = false;
            while (true)
            {
                int received = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                if (received == 0)
                {
                    break;
                }

                filled += received;
                int consumed = Parse(buffer.AsSpan(0, filled), ref state);
                if (consumed < 0)
                {
                    Console.Error.WriteLine($"relay-recv: bad frame length {state.BadLength} after frame {state.Frames}; stopping.");
                    return 1;
                }

                // Move the straddling head of the next frame (shorter than one frame) to the front.
                filled -= consumed;
                buffer.AsSpan(consumed, filled).CopyTo(buffer);

                if (state.Frames > 0)
                {
                    long now = Stopwatch.GetTimestamp();
                    window.Start(now);
                    window.Observe(state.Frames, now);
                    if (window.IsClosed && !reported)
                    {
                        Console.WriteLine(ResultRecord.Format("recv", window, state.Errors));
                        reported = true;
                    }
                }
            }

            if (filled > 0)
            {
                state.Errors++; // The stream ended inside a frame.
            }

            if (!reported)
            {
                window.Finish(state.Frames, Stopwatch.GetTimestamp());
                Console.WriteLine(ResultRecord.Format("recv", window, state.Errors));
            }
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"relay-recv: {e.Message} ({path}).");
            return 1;
        }

        return 0;
    }

    /// <summary>Consumes every whole frame in <paramref name="data"/>; returns the bytes consumed, or -1 on a bad length.</summary>
    private static int Parse(ReadOnlySpan<byte> data, ref ReceiveState state)
    {
        int offset = 0;
        while (data.Length - offset >= sizeof(int))
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(data[(offset + RelayFrame.LengthOffset)..]);
            if (length < RelayFrame.MinimumLength || length > RelayFrame.BufferSize)
            {
                state.BadLength = length;
                return -1;
            }

            if (data.Length - offset < length)
            {
                break;
            }

            long sequence = BinaryPrimitives.ReadInt64LittleEndian(data[(offset + RelayFrame.SequenceOffset)..]);
            if (sequence != state.NextSequence)
            {
                state.Errors++;
            }

            state.NextSequence = sequence + 1;
            state.Frames++;
            offset += length;
        }

        return offset;
    }
}
