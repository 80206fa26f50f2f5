namespace FastAgents.Perf.Load;

/// <summary>How a run offers load.</summary>
public enum LoadModel
{
    /// <summary>Sends at intended times from a rate schedule, whatever the target's speed (arrivals do not wait for completions).</summary>
    Open,

    /// <summary>A fixed number of senders, each sending its next message when its previous one completed (plus think time).</summary>
    Closed,
}
