using System.Buffers;
using System.Text.Json;
using FastAgents.Gate.Comparison;
using FastAgents.Serialization;

namespace FastAgents.Gate.Cases;

/// <summary>
/// <c>serializer.small</c>: serializations per second of <see cref="SmallMessage"/> into a reused buffer writer, ours
/// against System.Text.Json with source-generated metadata and a reused <see cref="Utf8JsonWriter"/>, on one thread.
/// </summary>
internal sealed class SerializerCase : GateCase
{
    public const string Name = "serializer.small";

    private const int Operations = 400_000;

    public override string Title => Name;

    public override double SlowdownNanoseconds => 100;

    protected override IReadOnlyList<CaseMeasurement> Run<TCost>(int rounds)
    {
        SmallMessage message = SmallMessage.Create();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(Stream.Null);
        for (int warm = 0; warm < 3; warm++)
        {
            Ours<TCost>(message, buffer);
            Peer(message, buffer, json);
        }

        return [RateRounds(Name, rounds, Operations, () => Ours<TCost>(message, buffer), () => Peer(message, buffer, json), wholeProcess: false)];
    }

    private static void Ours<TCost>(SmallMessage message, ArrayBufferWriter<byte> buffer)
        where TCost : struct, IOpCost
    {
        for (int i = 0; i < Operations; i++)
        {
            buffer.ResetWrittenCount();
            FastSerializer.Serialize(buffer, message);
            TCost.Pay();
        }
    }

    private static void Peer(SmallMessage message, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
    {
        for (int i = 0; i < Operations; i++)
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            JsonSerializer.Serialize(json, message, SmallMessageJsonContext.Default.SmallMessage);
            json.Flush();
        }
    }
}
