namespace FastAgents.Orchestration.Tests;

/// <summary>A random source that returns the given samples in turn (the last one forever after).</summary>
public sealed class FixedRandom(params double[] samples) : Random
{
    private int _next;

    public override double NextDouble()
    {
        double value = samples[Math.Min(_next, samples.Length - 1)];
        _next++;
        return value;
    }

    protected override double Sample() => NextDouble();
}
