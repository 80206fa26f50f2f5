namespace FastAgents.Serialization.Tests.Messages;

/// <summary>Only unmanaged members and a reused array: overwriting in place allocates nothing.</summary>
[FastMessage]
public partial class NumbersOnly
{
    public int A { get; set; }

    public long B { get; set; }

    public double C { get; set; }

    public int[]? Values { get; set; }
}
