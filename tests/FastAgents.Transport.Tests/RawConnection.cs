using System.Buffers.Binary;
using System.Net.Sockets;
using FastAgents.Transport.Protocol;
using Xunit;

namespace FastAgents.Transport.Tests;

/// <summary>
/// A plain socket to a router's Unix socket, for tests that break the protocol: writes whatever bytes it is given
/// and reads back the router's frames. Every read is bounded; a router that neither answers nor closes fails the test.
/// </summary>
public sealed class RawConnection : IDisposable
{
    /// <summary>How long a read or write may take before the test fails (generous: the machine is shared).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;

    private RawConnection(Socket socket) => _socket = socket;

    /// <summary>Bytes handed to the socket so far.</summary>
    public long BytesSent { get; private set; }

    public static async Task<RawConnection> ConnectAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            SendTimeout = (int)DefaultTimeout.TotalMilliseconds,
        };
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RawConnection(socket);
    }

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    public void Send(ReadOnlySpan<byte> data)
    {
        Assert.True(TrySend(data), "the router closed the connection while the test was still writing");
    }

    /// <summary>Writes as much of <paramref name="data"/> as the router takes; false when it closed the connection first.</summary>
    public bool TrySend(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent;
            try
            {
                sent = _socket.Send(data, SocketFlags.None);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted or SocketError.NotConnected)
            {
                return false;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
            {
                Assert.Fail($"The router read nothing for {DefaultTimeout.TotalSeconds:0} s while the test was writing to it.");
                return false;
            }

            data = data[sent..];
            BytesSent += sent;
        }

        return true;
    }

    /// <summary>Ends the test's side of the stream (the router then reads end-of-stream; the test can still read).</summary>
    public void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>Sends a hello (with <paramref name="token"/>) and reads frames until the welcome.</summary>
    public async Task<WelcomeFrame> HandshakeAsync(string? token = null)
    {
        Send(WireFrames.Hello(token));
        while (true)
        {
            byte[]? frame = await ReadFrameAsync();
            Assert.True(frame is not null, "the router closed the connection instead of answering a valid hello");
            switch ((FrameKind)frame![5])
            {
                case FrameKind.Welcome:
                    return Frames.ReadWelcome(frame);
                case FrameKind.Error:
                    Assert.Fail($"The router refused a valid hello: {Frames.ReadError(frame)}");
                    break;
            }
        }
    }

    /// <summary>The next frame from the router; null when it closed the connection.</summary>
    /// <exception cref="TimeoutException">Nothing arrived in time.</exception>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        byte[] prefix = new byte[Frames.PrefixSize];
        int got = await ReadAsync(prefix, cancel.Token);
        if (got == 0)
        {
            return null;
        }

        Assert.True(got == prefix.Length, $"the router's stream ended {got} bytes into a frame prefix");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        Assert.True(length is >= Frames.PrefixSize and <= 64 << 20, $"the router sent a frame prefix with length {length}");
        byte[] frame = new byte[length];
        prefix.CopyTo(frame, 0);
        got = await ReadAsync(frame.AsMemory(Frames.PrefixSize), cancel.Token);
        Assert.True(got == frame.Length - Frames.PrefixSize, $"the router's stream ended inside a {(FrameKind)frame[5]} frame of {length} bytes");
        return frame;
    }

    /// <summary>
    /// Reads until the router's Error frame (skipping welcome, heartbeats and notices) and returns its code and text;
    /// fails when the connection ends without one.
    /// </summary>
    public async Task<(ErrorCode Code, string Text)> ReadErrorAsync()
    {
        var deadline = DateTime.UtcNow + DefaultTimeout;
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            byte[]? frame = await ReadFrameAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            Assert.True(frame is not null, "the router closed the connection without an Error frame");
            var kind = (FrameKind)frame![5];
            Assert.NotEqual(FrameKind.Close, kind);
            if (kind == FrameKind.Error)
            {
                return Frames.ReadError(frame);
            }
        }
    }

    /// <summary>Asserts that the router closes the connection with nothing more after what was already read.</summary>
    public async Task AssertClosedAsync()
    {
        byte[]? frame = await ReadFrameAsync();
        Assert.True(frame is null, frame is null ? "" : $"the router sent a {(FrameKind)frame[5]} frame after its Error frame");
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Fills <paramref name="buffer"/>; returns fewer bytes only at end of stream (a reset counts as the end).</summary>
    private async Task<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int read = await _socket.ReceiveAsync(buffer[total..], SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("The router neither sent a frame nor closed the connection in time.");
        }

        return total;
    }
}
