namespace FastAgents.TransportBench.Relay;

/// <summary>What the relay receiver has seen so far; a struct passed by reference so parsing touches no heap.</summary>
internal struct ReceiveState
{
    public long Frames;
    public long NextSequence;
    public long Errors;
    public int BadLength;
}
