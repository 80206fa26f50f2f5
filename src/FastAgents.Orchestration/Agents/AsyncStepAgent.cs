using FastAgents.Runtime;

namespace FastAgents.Orchestration;

/// <summary>
/// Base of agents whose steps wait on something slow (a model, a person, an asynchronous function) without blocking
/// their worker: it answers every <see cref="StepRequest"/> with one <see cref="StepReply"/>, so it works in plans, in a
/// <see cref="GroupChat"/>, and for direct asks.
/// </summary>
/// <remarks>
/// <para>
/// Design: a handler runs on the agent's worker and must not block, and an <see cref="AgentContext"/> is valid only
/// during the call it was passed to. So the handler keeps the ask (<see cref="AgentContext.DeferReply"/>) and calls
/// <see cref="RunAsync"/>. When the returned task is already complete (a quick function, a reader with text at hand)
/// the reply goes at once. Otherwise, when the task finishes (on whatever thread finished it) the result is stored in
/// the step's record and the agent tells itself a small <c>StepCompleted</c> message through the runtime; handling
/// that message, back on the worker, replies with <see cref="AgentContext.ReplyTo{T}"/>. The agent's state is thus
/// still touched by its worker only, except by the code of <see cref="RunAsync"/> after its first <c>await</c>.
/// </para>
/// <para>
/// Steps run one at a time, in arrival order: a request that arrives while another is in flight waits in a queue. This
/// keeps a conversation coherent (each step sees the memory of the one before). A request sent as a tell instead of
/// an ask is run and its result dropped. When the agent stops, the step in flight is cancelled (through the token
/// given to <see cref="RunAsync"/>) and every waiting ask is answered with a failure.
/// </para>
/// </remarks>
public abstract class AsyncStepAgent : Agent, IHandle<StepRequest>, IHandle<StepCompleted>
{
    private static long s_nextTicket;

    private readonly Queue<(StepRequest Request, PendingReply? Pending)> _waiting = new();
    private readonly CancellationTokenSource _stopping = new();
    private Turn? _current;
    private bool _stopped;

    /// <summary>Creates the agent.</summary>
    /// <param name="name">The agent's name: in transcripts, group-chat selection, logs and metrics.</param>
    /// <param name="description">What the agent does, for people and for an automatic speaker selector.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    protected AsyncStepAgent(string name, string? description)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Description = description ?? "";
    }

    /// <summary>The agent's name.</summary>
    public string Name { get; }

    /// <summary>What the agent does.</summary>
    public string Description { get; }

    /// <summary>
    /// The runtime the agent runs on, known from its first step on (null before): for asks a step makes of other
    /// agents from <see cref="RunAsync"/>.
    /// </summary>
    protected AgentRuntime? Runtime { get; private set; }

    /// <summary>The number of steps waiting behind the one in flight (read it from the agent's worker only).</summary>
    protected int Waiting => _waiting.Count;

    /// <inheritdoc/>
    /// <remarks>A subclass that handles more messages overrides this and calls the base first.</remarks>
    protected override void Configure(HandlerMap handlers) => handlers.Add<StepRequest>(this).Add<StepCompleted>(this);

    /// <summary>
    /// Does the work of one step. Called on the agent's worker: the part before the first <c>await</c> must not block;
    /// the rest runs wherever the awaited work completes. An exception (other than a cancellation caused by the agent
    /// stopping) becomes a <see cref="StepReply.Failure"/> carrying its message.
    /// </summary>
    /// <param name="request">The step.</param>
    /// <param name="cancellationToken">Cancelled when the agent stops.</param>
    /// <returns>The reply sent back to the asker.</returns>
    protected abstract ValueTask<StepReply> RunAsync(StepRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Called on the agent's worker when a step has finished, before its reply is sent and before the next step starts:
    /// the place to update memory. Does nothing by default.
    /// </summary>
    /// <param name="request">The step.</param>
    /// <param name="reply">Its reply (success or failure).</param>
    protected virtual void OnStepCompleted(StepRequest request, StepReply reply)
    {
    }

    /// <inheritdoc/>
    public void Handle(in StepRequest message, AgentContext context)
    {
        Runtime ??= context.Runtime;
        PendingReply? pending = context.Kind == MessageKind.Ask ? context.DeferReply() : null;
        if (_current is not null || _stopped)
        {
            _waiting.Enqueue((message, pending));
            if (_stopped)
            {
                FailWaiting(context);
            }

            return;
        }

        Start(message, pending, context);
    }

    /// <inheritdoc/>
    public void Handle(in StepCompleted message, AgentContext context)
    {
        // A completion from an earlier instance (before a restart) or for a step already failed on stop is stale.
        if (_current is not { } turn || turn.Ticket != message.Ticket)
        {
            return;
        }

        Finish(turn, turn.Reply ?? StepReply.Failure("The step finished without a reply."), context);
    }

    /// <inheritdoc/>
    protected override void OnStop(AgentContext context)
    {
        _stopped = true;
        _stopping.Cancel();
        if (_current is { } turn)
        {
            _current = null;
            Answer(turn.Pending, StepReply.Failure($"Agent '{Name}' stopped before the step finished."), context);
        }

        FailWaiting(context);
    }

    private void Start(StepRequest request, PendingReply? pending, AgentContext context)
    {
        while (true)
        {
            var turn = new Turn(Interlocked.Increment(ref s_nextTicket), request, pending);
            _current = turn;
            ValueTask<StepReply> work;
            try
            {
                work = RunAsync(request, _stopping.Token);
            }
            catch (Exception e)
            {
                work = new ValueTask<StepReply>(StepReply.Failure(Describe(e)));
            }

            if (!work.IsCompleted)
            {
                _ = CompleteLaterAsync(work, turn, context.Runtime, Id);
                return;
            }

            StepReply reply = Result(work);
            OnStepCompleted(request, reply);
            _current = null;
            Answer(pending, reply, context);
            if (!_waiting.TryDequeue(out (StepRequest Request, PendingReply? Pending) next))
            {
                return;
            }

            (request, pending) = next;
        }
    }

    private void Finish(Turn turn, StepReply reply, AgentContext context)
    {
        OnStepCompleted(turn.Request, reply);
        _current = null;
        Answer(turn.Pending, reply, context);
        if (_waiting.TryDequeue(out (StepRequest Request, PendingReply? Pending) next))
        {
            Start(next.Request, next.Pending, context);
        }
    }

    private void FailWaiting(AgentContext context)
    {
        while (_waiting.TryDequeue(out (StepRequest Request, PendingReply? Pending) waiting))
        {
            Answer(waiting.Pending, StepReply.Failure($"Agent '{Name}' stopped before the step started."), context);
        }
    }

    private static void Answer(PendingReply? pending, StepReply reply, AgentContext context)
    {
        if (pending is { } ask)
        {
            context.ReplyTo(ask, reply);
        }
    }

    private static StepReply Result(ValueTask<StepReply> work)
    {
        try
        {
            return work.Result ?? StepReply.Failure("The step returned no reply.");
        }
        catch (Exception e)
        {
            return StepReply.Failure(Describe(e));
        }
    }

    private static async Task CompleteLaterAsync(ValueTask<StepReply> work, Turn turn, AgentRuntime runtime, AgentId self)
    {
        try
        {
            turn.Reply = await work.ConfigureAwait(false) ?? StepReply.Failure("The step returned no reply.");
        }
        catch (Exception e)
        {
            turn.Reply = StepReply.Failure(Describe(e));
        }

        try
        {
            // Back to the worker: the reply must be sent from a call on this agent. If the agent is gone or the runtime
            // is shutting down, the tell is dead-lettered and the asker's ask fails with the runtime's own reason.
            runtime.Tell(self, new StepCompleted(turn.Ticket), Priority.High);
        }
        catch (Exception)
        {
            // InboxFullException after the send timeout: the ask times out on its own; nothing else can be done here.
        }
    }

    private static string Describe(Exception e) => e is OperationCanceledException
        ? "The step was cancelled."
        : $"{e.GetType().Name}: {e.Message}";

    /// <summary>One step in flight. <see cref="Reply"/> is written off the worker before the completion is told.</summary>
    private sealed class Turn(long ticket, StepRequest request, PendingReply? pending)
    {
        public long Ticket { get; } = ticket;

        public StepRequest Request { get; } = request;

        public PendingReply? Pending { get; } = pending;

        public StepReply? Reply { get; set; }
    }
}
