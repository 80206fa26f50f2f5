using FastAgents.Rings;
using FastAgents.Runtime.Envelopes;

namespace FastAgents.Runtime.Workers;

/// <summary>One priority lane of a worker's inbox: a multi-producer ring of envelope slots.</summary>
internal sealed class Lane
{
    public Lane(int capacity, SpinThenParkWait wait)
    {
        Sequencer = new MultiProducerSequencer<SpinThenParkWait>(capacity, wait);
        Ring = new RingBuffer<EnvelopeSlot>(capacity);
        Sequencer.AddGatingSequences(Consumed);
    }

    public MultiProducerSequencer<SpinThenParkWait> Sequencer { get; }

    public RingBuffer<EnvelopeSlot> Ring { get; }

    /// <summary>The last sequence the worker handled and released (written by the worker only).</summary>
    public Sequence Consumed { get; } = new();

    /// <summary>True when the next unread slot has been published.</summary>
    public bool HasWork => Sequencer.IsAvailable(Consumed.Value + 1);

    /// <summary>Published envelopes not yet handled (claimed ones still being written count too).</summary>
    public long Depth => Math.Max(0, Sequencer.Cursor.Value - Consumed.Value);
}
