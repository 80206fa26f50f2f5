using FastAgents.Perf.Load;
using FastAgents.Perf.Reports;
using FastAgents.Runtime;

namespace FastAgents.Cli.Load;

/// <summary>
/// The in-process scenario: an embedded <see cref="AgentRuntime"/>, the target agents, and the load engine driving
/// a <see cref="RuntimeTarget{TMessage}"/> at them. Runs on the calling thread and returns the report.
/// </summary>
internal static class LoadScenario
{
    private static readonly AgentType s_targetType = AgentType.Register("load.target");
    private static readonly Capability s_targets = new("load.targets");

    /// <summary>Runs <paramref name="settings"/> (valid ones) and builds the report, thresholds checked.</summary>
    public static LoadReport Run(LoadSettings settings, LoadProgress? progress, CancellationToken cancellationToken) => settings.PayloadBytes switch
    {
        8 => Run<TagMessage>(settings, progress, cancellationToken),
        16 => Run<PaddedMessage<Padding.Bytes8>>(settings, progress, cancellationToken),
        32 => Run<PaddedMessage<Padding.Bytes24>>(settings, progress, cancellationToken),
        64 => Run<PaddedMessage<Padding.Bytes56>>(settings, progress, cancellationToken),
        128 => Run<PaddedMessage<Padding.Bytes120>>(settings, progress, cancellationToken),
        256 => Run<PaddedMessage<Padding.Bytes248>>(settings, progress, cancellationToken),
        512 => Run<PaddedMessage<Padding.Bytes504>>(settings, progress, cancellationToken),
        1024 => Run<PaddedMessage<Padding.Bytes1016>>(settings, progress, cancellationToken),
        2048 => Run<PaddedMessage<Padding.Bytes2040>>(settings, progress, cancellationToken),
        4096 => Run<PaddedMessage<Padding.Bytes4088>>(settings, progress, cancellationToken),
        _ => Run<BytesMessage>(settings, progress, cancellationToken),
    };

    private static LoadReport Run<TMessage>(LoadSettings settings, LoadProgress? progress, CancellationToken cancellationToken)
        where TMessage : ILoadMessage<TMessage>
    {
        using var runtime = new AgentRuntime(new RuntimeOptions { Workers = settings.Workers, PinWorkers = settings.Pin, Name = "load" });
        var acks = new AckPool(settings.ExpectedInFlight);
        AgentId[] agents;
        Capability? pool = null;
        if (settings.LeastBusy)
        {
            pool = s_targets;
            agents = runtime.SpawnPool(s_targetType, settings.Agents, () => new TargetAgent<TMessage>(acks), s_targets);
        }
        else
        {
            agents = new AgentId[settings.Agents];
            for (int i = 0; i < agents.Length; i++)
            {
                agents[i] = runtime.Spawn(s_targetType, (uint)i, () => new TargetAgent<TMessage>(acks));
            }
        }

        var target = new RuntimeTarget<TMessage>(runtime, agents, pool, settings.Mode, settings.PayloadBytes, acks);
        LoadResult result = settings.Model == LoadModel.Open
            ? OpenModelRunner.Run(target, new OpenModelOptions
            {
                Schedule = settings.Schedule(),
                WarmUp = settings.WarmUp,
                MaxCount = settings.Count,
                MaxInFlight = settings.MaxInFlight ?? LoadSettings.DefaultMaxInFlight,
                Progress = progress,
            }, cancellationToken)
            : ClosedModelRunner.Run(target, new ClosedModelOptions
            {
                Concurrency = settings.Concurrency ?? 1,
                ThinkTime = settings.ThinkTime ?? TimeSpan.Zero,
                Duration = settings.Duration,
                WarmUp = settings.WarmUp,
                MaxCount = settings.Count,
                Progress = progress,
            }, cancellationToken);
        return LoadReport.Create(settings.Title(), result, settings.Thresholds());
    }
}
