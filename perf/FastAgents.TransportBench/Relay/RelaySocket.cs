using System.Net.Sockets;

namespace FastAgents.TransportBench.Relay;

/// <summary>Blocking Unix-domain-socket helpers shared by the relay roles.</summary>
internal static class RelaySocket
{
    public static Socket Connect(string path, byte hello)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            SendAll(socket, [hello]);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends every byte: a blocking stream send may still return early (a signal, a full buffer on some systems).</summary>
    public static void SendAll(Socket socket, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = socket.Send(data, SocketFlags.None);
            data = data[sent..];
        }
    }
}
