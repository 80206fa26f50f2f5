using FastAgents.Perf.Load;
using FastAgents.Perf.Reports;
using FastAgents.Runtime;

namespace FastAgents.Cli.Load;

/// <summary>
/// The load scenarios: in process (an embedded <see cref="AgentRuntime"/> with the target agents) or through a
/// router (<see cref="RouterScenario"/>), the load engine driving a <see cref="RuntimeTarget{TMessage}"/> at them.
/// Runs on the calling thread and returns the report.
/// </summary>
internal static class LoadScenario
{
    /// <summary>The target agents' type; their keys count from 0 across all target processes.</summary>
    public static readonly AgentType TargetType = AgentType.Register("load.target");

    /// <summary>The target agents' capability, for least-busy sends.</summary>
    public static readonly Capability Targets = new("load.targets");

    public static LoadReport Run(LoadSettings settings, LoadProgress? progress, CancellationToken cancellationToken) =>
        settings.SelfCheck
            ? Drive(new ImmediateTarget(), settings, progress, cancellationToken)
            : ForPayload(settings.PayloadBytes, new Runner(settings, progress, cancellationToken));

    /// <summary>Calls <paramref name="visitor"/> with the load message type that carries <paramref name="payloadBytes"/>.</summary>
    public static TResult ForPayload<TResult>(int payloadBytes, IMessageTypeVisitor<TResult> visitor) => payloadBytes switch
    {
        8 => visitor.Visit<TagMessage>(),
        16 => visitor.Visit<PaddedMessage<Padding.Bytes8>>(),
        32 => visitor.Visit<PaddedMessage<Padding.Bytes24>>(),
        64 => visitor.Visit<PaddedMessage<Padding.Bytes56>>(),
        128 => visitor.Visit<PaddedMessage<Padding.Bytes120>>(),
        256 => visitor.Visit<PaddedMessage<Padding.Bytes248>>(),
        512 => visitor.Visit<PaddedMessage<Padding.Bytes504>>(),
        1024 => visitor.Visit<PaddedMessage<Padding.Bytes1016>>(),
        2048 => visitor.Visit<PaddedMessage<Padding.Bytes2040>>(),
        4096 => visitor.Visit<PaddedMessage<Padding.Bytes4088>>(),
        _ => visitor.Visit<BytesMessage>(),
    };

    /// <summary>Spawns the target agents <c>firstKey .. firstKey + count - 1</c> (with the pool capability when <paramref name="leastBusy"/>).</summary>
    public static AgentId[] SpawnTargets(AgentRuntime runtime, uint firstKey, int count, bool leastBusy, Func<Agent> factory)
    {
        var options = leastBusy ? new AgentOptions { Capabilities = [Targets] } : null;
        var agents = new AgentId[count];
        for (int i = 0; i < count; i++)
        {
            agents[i] = runtime.Spawn(TargetType, firstKey + (uint)i, factory, options);
        }

        return agents;
    }

    /// <summary>Runs the load engine against <paramref name="target"/> as <paramref name="settings"/> say.</summary>
    public static LoadReport Drive(ILoadTarget target, LoadSettings settings, LoadProgress? progress, CancellationToken cancellationToken)
    {
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

    private static LoadReport RunInProcess<TMessage>(LoadSettings settings, LoadProgress? progress, CancellationToken cancellationToken)
        where TMessage : ILoadMessage<TMessage>
    {
        using var runtime = new AgentRuntime(settings.RuntimeOptions("load", pin: true));
        var acks = new AckPool(settings.ExpectedInFlight);
        AgentId[] agents = SpawnTargets(runtime, 0, settings.Agents, settings.LeastBusy, () => new TargetAgent<TMessage>(acks));
        var target = new RuntimeTarget<TMessage>([runtime], agents, settings.LeastBusy ? Targets : (Capability?)null, settings.Mode, settings.PayloadBytes, acks);
        return Drive(target, settings, progress, cancellationToken);
    }

    private sealed class Runner(LoadSettings settings, LoadProgress? progress, CancellationToken cancellationToken) : IMessageTypeVisitor<LoadReport>
    {
        public LoadReport Visit<TMessage>()
            where TMessage : ILoadMessage<TMessage> =>
            settings.Router is null
                ? RunInProcess<TMessage>(settings, progress, cancellationToken)
                : RouterScenario.Run<TMessage>(settings, progress, cancellationToken);
    }
}

/// <summary>Code that is generic over the load message type, called by <see cref="LoadScenario.ForPayload{TResult}"/>.</summary>
/// <typeparam name="TResult">What the code returns.</typeparam>
internal interface IMessageTypeVisitor<out TResult>
{
    TResult Visit<TMessage>()
        where TMessage : ILoadMessage<TMessage>;
}
