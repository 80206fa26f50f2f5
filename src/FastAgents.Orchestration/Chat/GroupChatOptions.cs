using FastAgents.Runtime;
using Microsoft.Extensions.Logging;

namespace FastAgents.Orchestration;

/// <summary>Settings of a <see cref="GroupChat"/>.</summary>
public sealed record GroupChatOptions
{
    /// <summary>The chat's name, in logs and on the <c>fastagents.groupchat.turns</c> counter. Default "group-chat".</summary>
    public string Name { get; init; } = "group-chat";

    /// <summary>Who speaks next. Default <see cref="SpeakerSelection.RoundRobin"/>.</summary>
    public SpeakerSelection Selection { get; init; } = SpeakerSelection.RoundRobin();

    /// <summary>The most turns members take; the chat then ends as <see cref="GroupChatStatus.MaxTurns"/>. Default 10.</summary>
    public int MaxTurns
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxTurns), value, "A chat needs at least one turn.");
    } = 10;

    /// <summary>
    /// Checked after every successful turn with the transcript so far; true ends the chat as
    /// <see cref="GroupChatStatus.Terminated"/>. Null: only <see cref="MaxTurns"/> ends it. An exception fails the chat.
    /// </summary>
    public Func<IReadOnlyList<ChatEntry>, bool>? TerminateWhen { get; init; }

    /// <summary>How long one attempt of a turn (the ask to the speaker) may take; null for the runtime's default ask timeout.</summary>
    public TimeSpan? TurnTimeout { get; init; }

    /// <summary>
    /// How a failed turn (an error reply, a timeout, an undeliverable ask) is retried: the same speaker is asked again
    /// with the same request, after the policy's backoff on <see cref="Time"/>. Null: no retry. Each attempt is
    /// journaled; the transcript keeps the outcome (<see cref="ChatEntry.Attempts"/>). After a <see cref="TurnTimeout"/>
    /// the speaker may still be working on the abandoned attempt: an <see cref="AsyncStepAgent"/> queues the retry
    /// behind it (and remembers the late answer), so give slow speakers a timeout they can meet rather than retries.
    /// </summary>
    public RetryPolicy? TurnRetry { get; init; }

    /// <summary>
    /// When true, a turn that still fails after its retries is recorded and the chat goes on with the next speaker
    /// (until <see cref="MaxTurns"/>); when false (the default) it ends the chat as <see cref="GroupChatStatus.Failed"/>.
    /// </summary>
    public bool SkipFailedTurns { get; init; }

    /// <summary>The clock retry waits run on (<see cref="TimeProvider.System"/> by default); a test passes a manual one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The admin: when the chat is cancelled, the turn in flight is abandoned and the admin is asked (not cancellable,
    /// within <see cref="TurnTimeout"/>) for the closing word, with <see cref="AdminInstruction"/> and the whole
    /// transcript. Null: a cancelled chat just ends. The admin need not be a member.
    /// </summary>
    public GroupChatMember? Admin { get; init; }

    /// <summary>The instruction the admin gets on takeover.</summary>
    public string AdminInstruction { get; init; } =
        "The conversation was stopped. Take over and give the closing word: where it stands and what comes next.";

    /// <summary>A fixed instruction sent with every turn (<see cref="StepRequest.Instruction"/>); null for none.</summary>
    public string? Instruction { get; init; }

    /// <summary>The speaker of the opening task in the transcript. Default "user".</summary>
    public string InitiatorName { get; init; } = "user";

    /// <summary>Where selection fallbacks, failed turns and takeovers are logged; null for none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// When set, every turn is recorded here under the chat's id: the request to the speaker (its text is the newest
    /// transcript entry it is sent) and the reply (its text, or the error), the admin's closing turn included.
    /// </summary>
    public MessageJournal? Journal { get; init; }

    /// <summary>The sender recorded in the journal for turn requests, and the receiver for replies. Default <see cref="AgentId.None"/>.</summary>
    public AgentId Identity { get; init; }

    /// <summary>The lane the turns travel in. Default <see cref="Priority.Normal"/>.</summary>
    public Priority Priority { get; init; } = Priority.Normal;
}
