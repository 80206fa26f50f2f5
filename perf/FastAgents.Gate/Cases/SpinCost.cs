namespace FastAgents.Gate.Cases;

/// <summary>The deliberate slowdown: a spin of the case's configured length per operation (<see cref="Slowdown"/>).</summary>
internal readonly struct SpinCost : IOpCost
{
    public static void Pay() => Slowdown.Spin();
}
