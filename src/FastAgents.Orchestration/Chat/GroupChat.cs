using FastAgents.Runtime;
using Microsoft.Extensions.Logging;

namespace FastAgents.Orchestration;

/// <summary>
/// A conversation among agents with a shared transcript: a selection chooses each turn's speaker, the speaker is asked
/// through the runtime (<see cref="StepRequest"/> → <see cref="StepReply"/>), and its answer joins the transcript, until
/// a termination condition holds, the turns run out, a turn fails (after its retries, unless failed turns are
/// skipped), or the caller cancels.
/// </summary>
/// <remarks>
/// <para>
/// Each request carries what the speaker has not yet seen: the transcript entries since its previous turn (the task
/// first, on its first turn) as <see cref="StepRequest.Parts"/>, with the speakers' names in
/// <see cref="StepRequest.PartNames"/>. A <see cref="ChatAgent"/> remembers what it was sent, so across turns it has
/// the whole conversation; <see cref="StepRequest.RunId"/> is the chat's id and <see cref="StepRequest.Step"/> is
/// "turn-N".
/// </para>
/// <para>
/// An invalid choice of speaker (a selector naming no member) is logged with its reason and the next member in turn
/// speaks; the entry records "fallback (reason)" as its selection. Cancellation abandons the turn in flight (recorded
/// with the error "cancelled") and hands the chat to <see cref="GroupChatOptions.Admin"/>, if any, for the closing word.
/// <c>RunAsync</c> never throws for a failed turn or for cancellation: everything is in the result.
/// </para>
/// <para>
/// A chat holds no per-run state except its selection's: run one chat at a time per <see cref="GroupChat"/> when the
/// selection is random.
/// </para>
/// </remarks>
public sealed class GroupChat
{
    private readonly GroupChatMember[] _members;

    /// <summary>Creates a chat among <paramref name="members"/> on <paramref name="runtime"/>.</summary>
    /// <exception cref="ArgumentException">There are no members, or two share a name (ignoring case).</exception>
    public GroupChat(AgentRuntime runtime, IEnumerable<GroupChatMember> members, GroupChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(members);
        _members = [.. members];
        if (_members.Length == 0)
        {
            throw new ArgumentException("A group chat needs at least one member.", nameof(members));
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (GroupChatMember member in _members)
        {
            ArgumentNullException.ThrowIfNull(member, nameof(members));
            ArgumentException.ThrowIfNullOrEmpty(member.Name, nameof(members));
            if (!names.Add(member.Name))
            {
                throw new ArgumentException($"Two members are called '{member.Name}'.", nameof(members));
            }
        }

        Runtime = runtime;
        Options = options ?? new GroupChatOptions();
    }

    /// <summary>The runtime the turns are asked through.</summary>
    public AgentRuntime Runtime { get; }

    /// <summary>The members, in order.</summary>
    public IReadOnlyList<GroupChatMember> Members => _members;

    /// <summary>The settings.</summary>
    public GroupChatOptions Options { get; }

    /// <summary>Runs the chat on <paramref name="task"/> under a new chat id.</summary>
    /// <param name="task">The opening message (entry 0 of the transcript, said by <see cref="GroupChatOptions.InitiatorName"/>).</param>
    /// <param name="cancellationToken">Stops the chat: the admin takes over (see <see cref="GroupChatOptions.Admin"/>) and the status is <see cref="GroupChatStatus.Cancelled"/>.</param>
    public ValueTask<GroupChatResult> RunAsync(string task, CancellationToken cancellationToken = default) =>
        RunAsync(task, Guid.NewGuid().ToString("N"), cancellationToken);

    /// <summary>Runs the chat on <paramref name="task"/> under the caller's <paramref name="chatId"/>; otherwise as the overload without it.</summary>
    /// <exception cref="ArgumentException"><paramref name="chatId"/> is null or empty.</exception>
    public async ValueTask<GroupChatResult> RunAsync(string task, string chatId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentException.ThrowIfNullOrEmpty(chatId);
        GroupChatOptions options = Options;
        var transcript = new List<ChatEntry> { new(0, options.InitiatorName, AgentId.None, task) };
        var context = new SelectionContext(Runtime, chatId, _members, transcript);
        int[] seen = new int[_members.Length]; // transcript entries each member has been sent
        GroupChatStatus status = GroupChatStatus.MaxTurns;
        Exception? error = null;
        int turn = 0;
        try
        {
            while (turn < options.MaxTurns)
            {
                cancellationToken.ThrowIfCancellationRequested();
                turn++;
                context.Turn = turn;
                (int speaker, string selection) = await SelectAsync(context, cancellationToken).ConfigureAwait(false);
                GroupChatMember member = _members[speaker];
                StepRequest request = TurnRequest(chatId, turn, transcript, seen[speaker]);
                seen[speaker] = transcript.Count;
                ChatEntry entry;
                try
                {
                    entry = await TakeTurnAsync(chatId, turn, member, request, selection, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    transcript.Add(new ChatEntry(turn, member.Name, member.Agent, null) { Error = "cancelled", Selection = selection, Attempts = request.Attempt });
                    throw;
                }

                transcript.Add(entry);
                seen[speaker] = transcript.Count;
                context.LastSpeaker = speaker;
                OrchestrationMetrics.RecordTurn(options.Name);
                if (entry.Error is not null)
                {
                    if (options.Logger is { } logger)
                    {
                        GroupChatLog.TurnFailed(logger, options.Name, turn, member.Name, entry.Error);
                    }

                    if (options.SkipFailedTurns)
                    {
                        continue;
                    }

                    status = GroupChatStatus.Failed;
                    error = new OrchestrationException($"Turn {turn} of chat '{options.Name}' failed: {member.Name}: {entry.Error}");
                    break;
                }

                if (options.TerminateWhen is { } terminate && terminate(transcript))
                {
                    status = GroupChatStatus.Terminated;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = GroupChatStatus.Cancelled;
            await TakeOverAsync(chatId, transcript, turn).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The caller's own functions (a selection, the termination condition) failed.
            status = GroupChatStatus.Failed;
            error = new OrchestrationException($"Chat '{options.Name}' failed at turn {turn}: {e.Message}", e);
        }

        return new GroupChatResult(chatId, status, transcript.ToArray(), error);
    }

    /// <summary>
    /// One turn of <paramref name="member"/>: the ask, retried under <see cref="GroupChatOptions.TurnRetry"/>, each
    /// attempt journaled. The entry carries the answer or the last attempt's error; only cancellation throws.
    /// </summary>
    private async ValueTask<ChatEntry> TakeTurnAsync(string chatId, int turn, GroupChatMember member, StepRequest request, string selection, CancellationToken cancellationToken)
    {
        GroupChatOptions options = Options;
        RetryPolicy retry = options.TurnRetry ?? RetryPolicy.None;
        for (int attempt = 1; ; attempt++)
        {
            request.Attempt = attempt;
            RecordRequest(chatId, member.Agent, request);
            ChatEntry entry;
            Exception? failure;
            try
            {
                StepReply reply = await AskAsync(Runtime, member.Agent, request, options.TurnTimeout, cancellationToken, options.Priority).ConfigureAwait(false);
                entry = new ChatEntry(turn, member.Name, member.Agent, reply.Error is null ? reply.Output ?? "" : null)
                {
                    Error = reply.Error,
                    Selection = selection,
                    InputTokens = reply.InputTokens,
                    OutputTokens = reply.OutputTokens,
                    Attempts = attempt,
                };
                failure = reply.Error is null ? null : new StepFailedException(request.Step, reply.Error);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The ask in flight is abandoned; a cancellation during a retry wait has no ask to record.
                options.Journal?.Record(chatId, member.Agent, options.Identity, MessageKind.Reply, nameof(StepReply), null, error: "cancelled");
                throw;
            }
            catch (Exception e)
            {
                entry = new ChatEntry(turn, member.Name, member.Agent, null) { Error = $"{e.GetType().Name}: {e.Message}", Selection = selection, Attempts = attempt };
                failure = e;
            }

            RecordReply(chatId, entry);
            if (failure is null || !retry.RetriesAfter(attempt, failure))
            {
                return entry;
            }

            await Task.Delay(retry.DelayBefore(attempt, Random.Shared.NextDouble()), options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The members' names, comma-separated.</summary>
    internal static string NameList(IReadOnlyList<GroupChatMember> members)
    {
        string[] names = new string[members.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = members[i].Name;
        }

        return string.Join(", ", names);
    }

    /// <summary>Asks <paramref name="agent"/> for a step; the wait ends early when <paramref name="cancellationToken"/> is cancelled (<see cref="StepAsks.WithCancellation"/>).</summary>
    internal static ValueTask<StepReply> AskAsync(
        AgentRuntime runtime, AgentId agent, StepRequest request, TimeSpan? timeout, CancellationToken cancellationToken, Priority priority = Priority.Normal)
    {
        ValueTask<StepReply> ask = runtime.AskAsync<StepRequest, StepReply>(agent, request, timeout, priority);
        return StepAsks.WithCancellation(ask, cancellationToken);
    }

    private async ValueTask<(int Speaker, string Selection)> SelectAsync(SelectionContext context, CancellationToken cancellationToken)
    {
        SpeakerSelection selection = Options.Selection;
        SpeakerChoice choice = await selection.SelectAsync(context, cancellationToken).ConfigureAwait(false);
        if (choice.IsValid && choice.Index < _members.Length)
        {
            return (choice.Index, selection.Name);
        }

        string reason = choice.IsValid ? $"index {choice.Index} is out of range" : choice.Reason ?? "no reason given";
        int fallback = context.NextInTurn;
        if (Options.Logger is { } logger)
        {
            GroupChatLog.SelectionFallback(logger, Options.Name, context.Turn, selection.Name, reason, _members[fallback].Name);
        }

        return (fallback, $"fallback ({reason})");
    }

    private StepRequest TurnRequest(string chatId, int turn, List<ChatEntry> transcript, int from)
    {
        int count = transcript.Count - from;
        string[] parts = new string[count];
        string[] names = new string[count];
        for (int i = 0; i < count; i++)
        {
            ChatEntry entry = transcript[from + i];
            parts[i] = entry.Text ?? $"(failed: {entry.Error})";
            names[i] = entry.Speaker;
        }

        return new StepRequest
        {
            RunId = chatId,
            Step = $"turn-{turn}",
            Attempt = 1,
            Instruction = Options.Instruction,
            Parts = parts,
            PartNames = names,
        };
    }

    private async ValueTask TakeOverAsync(string chatId, List<ChatEntry> transcript, int turn)
    {
        if (Options.Admin is not { } admin)
        {
            return;
        }

        if (Options.Logger is { } logger)
        {
            GroupChatLog.AdminTakeover(logger, Options.Name, turn, admin.Name);
        }

        StepRequest request = TurnRequest(chatId, turn + 1, transcript, 0);
        request.Step = "admin";
        request.Instruction = Options.AdminInstruction;
        ChatEntry entry;
        RecordRequest(chatId, admin.Agent, request);
        try
        {
            StepReply reply = await AskAsync(Runtime, admin.Agent, request, Options.TurnTimeout, CancellationToken.None, Options.Priority).ConfigureAwait(false);
            entry = new ChatEntry(turn + 1, admin.Name, admin.Agent, reply.Error is null ? reply.Output ?? "" : null)
            {
                Error = reply.Error,
                Selection = "admin",
                InputTokens = reply.InputTokens,
                OutputTokens = reply.OutputTokens,
                Attempts = 1,
            };
        }
        catch (Exception e)
        {
            entry = new ChatEntry(turn + 1, admin.Name, admin.Agent, null) { Error = $"{e.GetType().Name}: {e.Message}", Selection = "admin", Attempts = 1 };
        }

        transcript.Add(entry);
        RecordReply(chatId, entry);
    }

    private void RecordRequest(string chatId, AgentId speaker, StepRequest request) =>
        Options.Journal?.Record(chatId, Options.Identity, speaker, MessageKind.Ask, nameof(StepRequest), request.Parts is [.., string last] ? last : null);

    private void RecordReply(string chatId, ChatEntry entry) =>
        Options.Journal?.Record(chatId, entry.Agent, Options.Identity, MessageKind.Reply, nameof(StepReply), entry.Text, error: entry.Error);
}
