using FastAgents.Serialization;

namespace FastAgents.Gate.Cases;

/// <summary>The serializer case's message: three ints, a long and a 16-character string.</summary>
[FastMessage]
public sealed partial class SmallMessage
{
    public int A { get; set; }

    public int B { get; set; }

    public int C { get; set; }

    public long D { get; set; }

    public string? Text { get; set; }

    public static SmallMessage Create() => new() { A = 1, B = 1_000, C = -7, D = 1_234_567_890_123, Text = "agent-0123456789" };
}
