using FastAgents.Serialization;

namespace FastAgents.Cli.Load;

/// <summary>
/// The load message for sizes no struct has: the tag and a byte array, written by the generated formatter as a
/// member count (1 byte), the tag (8), the array's length (4) and its bytes, so <c>payloadBytes - 13</c> array bytes.
/// The receiver reads it into a fresh instance and array, as it does any class message: those bytes show in the
/// run's bytes per message.
/// </summary>
[FastMessage]
internal sealed partial class BytesMessage : ILoadMessage<BytesMessage>
{
    /// <summary>Serialized bytes besides the array's: member count, tag, array length.</summary>
    public const int Overhead = 1 + sizeof(long) + sizeof(int);

    // One instance per sending thread, reused: a send serializes it into the slot before it returns.
    [ThreadStatic]
    private static BytesMessage? s_instance;

    public long Tag { get; set; }

    public byte[] Data { get; set; } = [];

    public static int? FixedSize => null;

    public static BytesMessage Create(long tag, int payloadBytes)
    {
        BytesMessage message = s_instance ??= new BytesMessage();
        int length = payloadBytes - Overhead;
        if (message.Data.Length != length)
        {
            message.Data = new byte[length];
        }

        message.Tag = tag;
        return message;
    }

    public static long TagOf(in BytesMessage message) => message.Tag;
}
