namespace FastAgents.Perf.Load;

/// <summary>Where a run is, as a <see cref="LoadProgress"/> sees it.</summary>
public enum LoadPhase
{
    /// <summary>The run has not started.</summary>
    NotStarted,

    /// <summary>Sends are made but not counted.</summary>
    WarmingUp,

    /// <summary>The measured window: sends are counted.</summary>
    Measuring,

    /// <summary>Every send was issued; waiting for those in flight.</summary>
    Draining,

    /// <summary>The run has ended.</summary>
    Finished,
}
