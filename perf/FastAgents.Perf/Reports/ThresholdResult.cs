namespace FastAgents.Perf.Reports;

/// <summary>The verdict of <see cref="LoadThresholds.Evaluate"/>: pass, or fail with one reason per threshold missed.</summary>
public sealed class ThresholdResult
{
    /// <summary>The process exit code for a run that missed a threshold.</summary>
    public const int FailedExitCode = 2;

    /// <summary>True when every threshold held (or none was set).</summary>
    public bool Passed { get; init; }

    /// <summary>One sentence per threshold missed, empty when <see cref="Passed"/>.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>The thresholds checked, as text (such as <c>p99 ≤ 5 ms</c>).</summary>
    public IReadOnlyList<string> Checked { get; init; } = [];

    /// <summary>0 when passed, <see cref="FailedExitCode"/> otherwise.</summary>
    public int ExitCode => Passed ? 0 : FailedExitCode;
}
