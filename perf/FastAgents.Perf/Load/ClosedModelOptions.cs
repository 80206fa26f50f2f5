namespace FastAgents.Perf.Load;

/// <summary>Settings of a closed-model run.</summary>
public sealed class ClosedModelOptions
{
    /// <summary>Number of senders; each is a thread that sends its next message when its previous one completed.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Pause of a sender between a completion and its next send.</summary>
    public TimeSpan ThinkTime { get; init; }

    /// <summary>Length of the measured window, after the warm-up.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Time before the measured window; sends started in it are made but not counted.</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>Stops after this many measured sends, even before <see cref="Duration"/> ends; null for no limit.</summary>
    public long? MaxCount { get; init; }

    /// <summary>How long to wait, once the window has ended, for senders to finish their current send.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where another thread can watch the run while it goes; null for none.</summary>
    public LoadProgress? Progress { get; init; }
}
