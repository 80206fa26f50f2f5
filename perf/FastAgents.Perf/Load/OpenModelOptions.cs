namespace FastAgents.Perf.Load;

/// <summary>Settings of an open-model run.</summary>
public sealed class OpenModelOptions
{
    /// <summary>The rate profile of the measured window (the warm-up runs before it, at its initial rate).</summary>
    public required RateSchedule Schedule { get; init; }

    /// <summary>Time at the schedule's initial rate before the measured window; its sends are made but not counted.</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>Stops after this many measured sends (sent or dropped) even if the schedule has more; null for the whole schedule.</summary>
    public long? MaxCount { get; init; }

    /// <summary>Most sends in flight at once; a send due while the cap is reached is dropped and counted.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>A send that starts more than this after its intended time counts as late (it is still made and measured).</summary>
    public TimeSpan LateThreshold { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Most consecutive sends made without checking for cancellation.</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>How long to wait, once the schedule is done, for sends still in flight; those left count as unfinished.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where another thread can watch the run while it goes; null for none.</summary>
    public LoadProgress? Progress { get; init; }
}
