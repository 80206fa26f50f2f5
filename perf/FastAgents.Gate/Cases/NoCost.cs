namespace FastAgents.Gate.Cases;

/// <summary>The normal run: nothing added to our side.</summary>
internal readonly struct NoCost : IOpCost
{
    public static void Pay()
    {
    }
}
