using FastAgents.Runtime;
using Microsoft.Extensions.AI;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class GroupChatTests
{
    private static GroupChatMember[] Members(Harness h, params string[] names) =>
        [.. names.Select(name => new GroupChatMember(name, h.Echo(name), $"the {name} agent"))];

    private static string[] Speakers(GroupChatResult result) => [.. result.Transcript.Skip(1).Select(e => e.Speaker)];

    [Fact]
    public async Task RunAsync_RoundRobin_EachInTurnUntilMaxTurns()
    {
        await using var h = new Harness();
        var chat = new GroupChat(h.Runtime, Members(h, "A", "B", "C"), new GroupChatOptions { MaxTurns = 4 });

        GroupChatResult result = await chat.RunAsync("topic", "chat-1");

        Assert.Equal(GroupChatStatus.MaxTurns, result.Status);
        Assert.Equal(["A", "B", "C", "A"], Speakers(result));
        Assert.Equal(4, result.Turns);
        Assert.Equal(("user", "topic", 0), (result.Transcript[0].Speaker, result.Transcript[0].Text, result.Transcript[0].Turn));
        Assert.All(result.Transcript.Skip(1), e => Assert.Equal("round-robin", e.Selection));
        // Each speaker is sent what it has not seen: A first gets the task; A again gets B's and C's turns.
        Assert.Equal("A[topic]", result.Transcript[1].Text);
        Assert.Equal("B[topic|A[topic]]", result.Transcript[2].Text);
        Assert.Equal("A[B[topic|A[topic]]|C[topic|A[topic]|B[topic|A[topic]]]]", result.Transcript[4].Text);
        StepRequest turn4 = h.Log.RequestsTo("A")[1];
        Assert.Equal(("chat-1", "turn-4"), (turn4.RunId, turn4.Step));
        Assert.Equal(["B", "C"], turn4.PartNames!);
        Assert.Equal(result.Transcript[4].Text, result.Output);
    }

    [Fact]
    public async Task RunAsync_RandomWithSeed_RepeatableAndNeverTheSameSpeakerTwice()
    {
        await using var h = new Harness();
        GroupChatMember[] members = Members(h, "A", "B", "C", "D");

        GroupChatResult first = await new GroupChat(h.Runtime, members, new GroupChatOptions { MaxTurns = 12, Selection = SpeakerSelection.Random(seed: 7) }).RunAsync("t");
        GroupChatResult second = await new GroupChat(h.Runtime, members, new GroupChatOptions { MaxTurns = 12, Selection = SpeakerSelection.Random(seed: 7) }).RunAsync("t");

        Assert.Equal(Speakers(first), Speakers(second));
        string[] speakers = Speakers(first);
        Assert.Equal(12, speakers.Length);
        Assert.All(speakers.Zip(speakers.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.True(speakers.Distinct().Count() > 1);
        Assert.All(first.Transcript.Skip(1), e => Assert.Equal("random", e.Selection));
    }

    [Fact]
    public async Task RunAsync_ManualCallback_ChosenSpeakersSpeak()
    {
        await using var h = new Harness();
        string[] script = ["C", "a", "c."];
        var chat = new GroupChat(h.Runtime, Members(h, "A", "B", "C"), new GroupChatOptions
        {
            MaxTurns = 3,
            Selection = SpeakerSelection.Manual(context => script[context.Turn - 1]),
        });

        GroupChatResult result = await chat.RunAsync("t");

        Assert.Equal(["C", "A", "C"], Speakers(result));
        Assert.All(result.Transcript.Skip(1), e => Assert.Equal("manual", e.Selection));
    }

    [Fact]
    public async Task RunAsync_ManualByUserProxy_ThePersonChoosesThroughTheRuntime()
    {
        await using var h = new Harness();
        var screen = new StringWriter();
        AgentId proxy = h.Spawn(() => new UserProxyAgent("chair", new StringReader("B\nnobody\n"), screen));
        var logger = new ListLogger();
        var chat = new GroupChat(h.Runtime, Members(h, "A", "B"), new GroupChatOptions
        {
            MaxTurns = 2,
            Selection = SpeakerSelection.Manual(proxy),
            Logger = logger,
        });

        GroupChatResult result = await chat.RunAsync("t");

        Assert.Equal(["B", "A"], Speakers(result));
        Assert.Equal("manual", result.Transcript[1].Selection);
        Assert.StartsWith("fallback (the chooser's answer 'nobody' names no member)", result.Transcript[2].Selection, StringComparison.Ordinal);
        Assert.Contains("[chair] Who speaks next? Answer with one of: A, B.", screen.ToString(), StringComparison.Ordinal);
        Assert.Single(logger.Entries, e => e.Event == "SelectionFallback");
    }

    [Fact]
    public async Task RunAsync_Auto_TheSelectorChoosesFromDescriptions()
    {
        await using var h = new Harness();
        string[] answers = ["critic", "The writer should speak next.", "Planner"];
        int call = 0;
        var selector = new FakeChatClient(_ => answers[Interlocked.Increment(ref call) - 1]);
        var chat = new GroupChat(h.Runtime, Members(h, "planner", "writer", "critic"), new GroupChatOptions
        {
            MaxTurns = 3,
            Selection = SpeakerSelection.Auto(selector),
        });

        GroupChatResult result = await chat.RunAsync("write about rings");

        Assert.Equal(["critic", "writer", "planner"], Speakers(result));
        Assert.All(result.Transcript.Skip(1), e => Assert.Equal("auto", e.Selection));
        ChatMessage[] firstCall = client(selector)[0];
        Assert.Equal(ChatRole.System, firstCall[0].Role);
        Assert.Contains("- writer: the writer agent", firstCall[1].Text, StringComparison.Ordinal);
        Assert.Contains("[user] write about rings", firstCall[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("Answer with one of: planner, writer, critic.", firstCall[1].Text, StringComparison.Ordinal);

        static ChatMessage[][] client(FakeChatClient c) => [.. c.Calls];
    }

    [Fact]
    public async Task RunAsync_AutoInvalidChoice_FallsBackToTheNextInTurnAndLogsWhy()
    {
        await using var h = new Harness();
        string[] answers = ["B", "the moderator", "A or B"];
        int call = 0;
        var selector = new FakeChatClient(_ => answers[Interlocked.Increment(ref call) - 1]);
        var logger = new ListLogger();
        var chat = new GroupChat(h.Runtime, Members(h, "A", "B"), new GroupChatOptions
        {
            Name = "fallbacks",
            MaxTurns = 3,
            Selection = SpeakerSelection.Auto(selector),
            Logger = logger,
        });

        GroupChatResult result = await chat.RunAsync("t");

        Assert.Equal(["B", "A", "B"], Speakers(result));
        Assert.Equal("auto", result.Transcript[1].Selection);
        Assert.Equal("fallback (the selector's answer 'the moderator' names no member)", result.Transcript[2].Selection);
        Assert.Equal("fallback (the selector's answer 'A or B' names no member)", result.Transcript[3].Selection);
        (Microsoft.Extensions.Logging.LogLevel level, string name, string message)[] logged = [.. logger.Entries];
        Assert.Equal(2, logged.Length);
        Assert.All(logged, e => Assert.Equal((Microsoft.Extensions.Logging.LogLevel.Warning, "SelectionFallback"), (e.level, e.name)));
        Assert.Equal(
            "Chat fallbacks turn 2: auto selection gave no valid speaker (the selector's answer 'the moderator' names no member); A speaks instead.",
            logged[0].message);
    }

    [Fact]
    public async Task RunAsync_AutoSelectorThrows_FallsBackWithTheReason()
    {
        await using var h = new Harness();
        var logger = new ListLogger();
        var chat = new GroupChat(h.Runtime, Members(h, "A", "B"), new GroupChatOptions
        {
            MaxTurns = 2,
            Selection = SpeakerSelection.Auto(new ThrowingChatClient("selector down")),
            Logger = logger,
        });

        GroupChatResult result = await chat.RunAsync("t");

        Assert.Equal(GroupChatStatus.MaxTurns, result.Status);
        Assert.Equal(["A", "B"], Speakers(result));
        Assert.All(logger.Entries, e => Assert.Contains("the selector failed: selector down", e.Message, StringComparison.Ordinal));
        Assert.Equal(2, logger.Entries.Count);
    }

    [Fact]
    public async Task RunAsync_TerminationCondition_StopsAfterTheTurnThatMeetsIt()
    {
        await using var h = new Harness();
        AgentId critic = h.Spawn(() => new ToolAgent("critic", text => text.Contains("draft 2", StringComparison.Ordinal) ? "APPROVED" : "revise"));
        int drafts = 0;
        AgentId writer = h.Spawn(() => new ToolAgent("writer", _ => $"draft {Interlocked.Increment(ref drafts)}"));
        var chat = new GroupChat(h.Runtime, [new("writer", writer), new("critic", critic)], new GroupChatOptions
        {
            MaxTurns = 10,
            TerminateWhen = transcript => transcript[^1].Text == "APPROVED",
        });

        GroupChatResult result = await chat.RunAsync("write");

        Assert.Equal(GroupChatStatus.Terminated, result.Status);
        Assert.Equal(["draft 1", "revise", "draft 2", "APPROVED"], result.Transcript.Skip(1).Select(e => e.Text));
        Assert.Equal(4, result.Turns);
        Assert.Equal("APPROVED", result.Output);
    }

    [Fact]
    public async Task RunAsync_CancelledMidTurn_AdminTakesOverWithTheTranscript()
    {
        await using var h = new Harness();
        var logger = new ListLogger();
        AgentId slow = h.Silent("Slow");
        AgentId admin = h.Echo("Admin");
        var chat = new GroupChat(h.Runtime, [new("A", h.Echo("A")), new("Slow", slow)], new GroupChatOptions
        {
            Name = "stopped",
            MaxTurns = 5,
            Admin = new GroupChatMember("admin", admin),
            Logger = logger,
        });
        using var cancel = new CancellationTokenSource();

        ValueTask<GroupChatResult> running = chat.RunAsync("t", cancel.Token);
        await Eventually.Within(h.Log.Entered("Slow").Task, "the slow member's turn");
        cancel.Cancel();
        GroupChatResult result = await Eventually.Within(running.AsTask(), "the chat's end");

        Assert.Equal(GroupChatStatus.Cancelled, result.Status);
        Assert.Equal(["A", "Slow", "admin"], Speakers(result));
        Assert.Equal("cancelled", result.Transcript[2].Error);
        ChatEntry last = result.Transcript[^1];
        Assert.Equal(("admin", 3), (last.Selection, last.Turn));
        Assert.Equal("Admin[t|A[t]|(failed: cancelled)]", last.Text);
        Assert.Equal(last.Text, result.Output);
        Assert.Equal(2, result.Turns);
        StepRequest adminRequest = Assert.Single(h.Log.RequestsTo("Admin"));
        Assert.Equal(new GroupChatOptions().AdminInstruction, adminRequest.Instruction);
        Assert.Contains(logger.Entries, e => e.Event == "AdminTakeover" && e.Message == "Chat stopped was cancelled at turn 2; admin takes over.");
    }

    [Fact]
    public async Task RunAsync_CancelledWithoutAdmin_JustEnds()
    {
        await using var h = new Harness();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var chat = new GroupChat(h.Runtime, Members(h, "A"));

        GroupChatResult result = await chat.RunAsync("t", cancel.Token);

        Assert.Equal(GroupChatStatus.Cancelled, result.Status);
        Assert.Single(result.Transcript);
        Assert.Null(result.Output);
    }

    [Fact]
    public async Task RunAsync_TurnFails_ChatFailsWithTheReason()
    {
        await using var h = new Harness();
        var logger = new ListLogger();
        var chat = new GroupChat(h.Runtime, [new("A", h.Echo("A")), new("Bad", h.Flaky("Bad", int.MaxValue))], new GroupChatOptions { Logger = logger });

        GroupChatResult result = await chat.RunAsync("t");

        Assert.Equal(GroupChatStatus.Failed, result.Status);
        Assert.Equal("Bad failure 1", result.Transcript[^1].Error);
        Assert.Contains("Bad failure 1", Assert.IsType<OrchestrationException>(result.Error).Message, StringComparison.Ordinal);
        Assert.Equal("A[t]", result.Output);
        Assert.Contains(logger.Entries, e => e.Event == "TurnFailed");
    }

    [Fact]
    public async Task RunAsync_WithJournal_EveryTurnsRequestAndReplyRecordedUnderTheChatId()
    {
        await using var h = new Harness();
        using var journal = new MessageJournal();
        AgentId self = new(0xC4A7);
        AgentId a = h.Echo("A");
        AgentId bad = h.Flaky("Bad", int.MaxValue);
        var chat = new GroupChat(h.Runtime, [new("A", a), new("Bad", bad)], new GroupChatOptions { Journal = journal, Identity = self });

        GroupChatResult result = await chat.RunAsync("t", "chat-j");

        Assert.Equal(GroupChatStatus.Failed, result.Status);
        IReadOnlyList<JournalRecord> records = journal.ForRun("chat-j");
        Assert.Equal(
            [(self, a, MessageKind.Ask, "t", (string?)null), (a, self, MessageKind.Reply, "A[t]", null),
             (self, bad, MessageKind.Ask, "A[t]", null), (bad, self, MessageKind.Reply, null, "Bad failure 1")],
            records.Select(r => (r.From, r.To, r.Kind, r.Text, r.Error)));
        Assert.Equal(["StepRequest", "StepReply", "StepRequest", "StepReply"], records.Select(r => r.PayloadType));
        Assert.Equal(records.Select(r => r.Sequence).Order(), records.Select(r => r.Sequence));
    }

    [Fact]
    public async Task RunAsync_CancelledWithJournal_TheAbandonedTurnAndTheAdminsWordRecorded()
    {
        await using var h = new Harness();
        using var journal = new MessageJournal();
        AgentId slow = h.Silent("Slow");
        AgentId admin = h.Echo("Admin");
        var chat = new GroupChat(h.Runtime, [new("Slow", slow)], new GroupChatOptions
        {
            Admin = new GroupChatMember("admin", admin),
            Journal = journal,
        });
        using var cancel = new CancellationTokenSource();

        ValueTask<GroupChatResult> running = chat.RunAsync("t", "chat-c", cancel.Token);
        await Eventually.Within(h.Log.Entered("Slow").Task, "the slow member's turn");
        cancel.Cancel();
        GroupChatResult result = await Eventually.Within(running.AsTask(), "the chat's end");

        Assert.Equal(GroupChatStatus.Cancelled, result.Status);
        Assert.Equal(
            [(slow, MessageKind.Ask, (string?)null), (slow, MessageKind.Reply, "cancelled"), (admin, MessageKind.Ask, null), (admin, MessageKind.Reply, null)],
            journal.ForRun("chat-c").Select(r => (r.Kind == MessageKind.Ask ? r.To : r.From, r.Kind, r.Error)));
        Assert.Equal(result.Output, journal.ForRun("chat-c")[^1].Text);
    }

    [Fact]
    public async Task RunAsync_TurnRetry_TheSameSpeakerIsAskedAgainAndEveryAttemptJournaled()
    {
        await using var h = new Harness();
        using var journal = new MessageJournal();
        AgentId bad = h.Flaky("Bad", 2);
        var chat = new GroupChat(h.Runtime, [new("A", h.Echo("A")), new("Bad", bad)], new GroupChatOptions
        {
            MaxTurns = 2,
            TurnRetry = RetryPolicy.Exponential(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2), jitter: 0),
            Journal = journal,
        });

        GroupChatResult result = await chat.RunAsync("t", "chat-r");

        Assert.Equal(GroupChatStatus.MaxTurns, result.Status);
        ChatEntry turn2 = result.Transcript[2];
        Assert.Equal(("Bad", "Bad()", 3, (string?)null), (turn2.Speaker, turn2.Text, turn2.Attempts, turn2.Error)); // a turn's input is in its parts
        Assert.Equal([1, 2, 3], h.Log.RequestsTo("Bad").Select(r => r.Attempt));
        Assert.Equal(1, result.Transcript[1].Attempts);
        Assert.Equal(
            ["Bad failure 1", "Bad failure 2", null],
            journal.ForRun("chat-r").Where(r => r.From == bad).Select(r => r.Error));
    }

    [Fact]
    public async Task RunAsync_SkipFailedTurns_TheChatGoesOnAndTheFailureIsInTheTranscript()
    {
        await using var h = new Harness();
        var chat = new GroupChat(h.Runtime, [new("A", h.Echo("A")), new("Bad", h.Flaky("Bad", int.MaxValue))], new GroupChatOptions
        {
            MaxTurns = 4,
            SkipFailedTurns = true,
        });

        GroupChatResult result = await chat.RunAsync("t");

        Assert.Equal(GroupChatStatus.MaxTurns, result.Status);
        Assert.Equal(["A", "Bad", "A", "Bad"], Speakers(result));
        Assert.Equal([null, "Bad failure 1", null, "Bad failure 2"], result.Transcript.Skip(1).Select(e => e.Error));
        Assert.Equal("A[(failed: Bad failure 1)]", result.Transcript[3].Text); // A is told of the failed turn
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task RunAsync_ChatAgents_TokensSummedAndMemoryHoldsTheConversation()
    {
        await using var h = new Harness();
        var planner = new FakeChatClient(m => $"plan after {m.Count} messages", 10, 2);
        var writer = new FakeChatClient(m => $"text after {m.Count} messages", 20, 4);
        AgentId p = h.Spawn(() => new ChatAgent("planner", planner, new ChatAgentOptions { SystemPrompt = "plan" }));
        AgentId w = h.Spawn(() => new ChatAgent("writer", writer, new ChatAgentOptions { SystemPrompt = "write", Streaming = true }));
        var chat = new GroupChat(h.Runtime, [new("planner", p), new("writer", w)], new GroupChatOptions { MaxTurns = 4 });

        GroupChatResult result = await chat.RunAsync("rings");

        Assert.Equal(["plan after 2 messages", "text after 2 messages", "plan after 4 messages", "text after 4 messages"], result.Transcript.Skip(1).Select(e => e.Text));
        Assert.Equal((60L, 12L), (result.InputTokens, result.OutputTokens));
        Assert.Equal("writer: text after 2 messages", planner.Calls.Last()[^1].Text);
        Assert.Equal("user: rings\nplanner: plan after 2 messages", writer.Calls.First()[^1].Text);
    }

    [Fact]
    public async Task Constructor_NoMembersOrDuplicateNames_Refused()
    {
        await using var h = new Harness();

        Assert.Throws<ArgumentException>(() => new GroupChat(h.Runtime, []));
        Assert.Throws<ArgumentException>(() => new GroupChat(h.Runtime, [new("a", new AgentId(1)), new("A", new AgentId(2))]));
    }
}
