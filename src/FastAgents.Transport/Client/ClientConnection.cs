using System.IO.Pipelines;
using System.Net.Sockets;

namespace FastAgents.Transport.Client;

/// <summary>One connection of a <see cref="RouterClient"/> to the router: the socket, the pipe it is read through, and its state.</summary>
internal sealed class ClientConnection(Socket socket, NetworkStream stream, PipeReader reader, int maxFrame, uint id) : IDisposable
{
    private int _closed;

    public Socket Socket { get; } = socket;

    public PipeReader Reader { get; } = reader;

    /// <summary>The largest frame the router accepts.</summary>
    public int MaxFrame { get; } = maxFrame;

    public uint Id { get; } = id;

    /// <summary>When something last arrived (milliseconds, Environment.TickCount64).</summary>
    public long LastReceivedMs = Environment.TickCount64;

    /// <summary>The read loop; it ends when the connection does.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Why it ended, once it has.</summary>
    public string? CloseReason { get; private set; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Ends the connection (idempotent): the socket is shut, so the read loop and any write fail promptly.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        CloseReason = reason;
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        Reader.CancelPendingRead();
    }

    public void Dispose()
    {
        Close("disposed");
        stream.Dispose();
        Socket.Dispose();
    }
}
