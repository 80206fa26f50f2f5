using System.Buffers;
using FastAgents.Orchestration;
using FastAgents.Serialization;

namespace FastAgents.OrchestrationBench;

/// <summary>
/// The step messages alone, without a runtime: for each of the 3 steps of a run, the request is created, serialized and
/// materialized again (the copy a handler receives), as the runtime does for a class message. A reply to an ask made in
/// the same process is handed to the asker as the object the agent replied with, so it is not copied here either.
/// These are exactly the objects the direct asks make besides the runtime's own work, so the difference in bytes
/// between the two is what the runtime allocates per routed message.
/// </summary>
internal sealed class MessageCopies
{
    private const int Steps = 3;
    private static readonly StepReply s_reply = StepReply.Success("ok");
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    /// <summary>The request of one direct ask; the same for the copies here, so that their bytes are the direct asks' messages.</summary>
    public static StepRequest Request(string? input) => new() { RunId = "bench", Step = "step", Attempt = 1, Input = input };

    public void Run(int runs)
    {
        for (int i = 0; i < runs; i++)
        {
            string? current = "input";
            for (int s = 0; s < Steps; s++)
            {
                StepRequest request = Request(current);
                _buffer.ResetWrittenCount();
                FastSerializer.Serialize(in _buffer, in request);
                StepRequest received = FastSerializer.Deserialize<StepRequest>(_buffer.WrittenSpan)
                    ?? throw new InvalidOperationException("The request did not round-trip.");
                current = received.Attempt == 1 ? s_reply.Output : null;
            }
        }
    }
}
