using System.Net;
using System.Text;
using System.Text.Json;
using FastAgents.Samples;
using Microsoft.Extensions.AI;
using Xunit;

namespace FastAgents.Orchestration.Tests;

public sealed class SampleTests
{
    [Fact]
    public async Task ResearchTeam_Offline_PlannerWriterCriticUntilApproved()
    {
        var output = new StringWriter();

        GroupChatResult result = await Eventually.Within(ResearchTeamSample.RunAsync(new OfflineChatClient(), output), "the research team");

        Assert.Equal(GroupChatStatus.Terminated, result.Status);
        Assert.Equal(["planner", "writer", "critic", "writer", "critic"], result.Transcript.Skip(1).Select(e => e.Speaker));
        Assert.All(result.Transcript.Skip(1), e => Assert.Equal("auto", e.Selection));
        Assert.StartsWith("APPROVED", result.Output, StringComparison.Ordinal);
        Assert.True(result.InputTokens > 0 && result.OutputTokens > 0);
        string[] lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(7, lines.Length);
        Assert.Equal($"topic: {ResearchTeamSample.Topic}", lines[0]);
        Assert.StartsWith("[turn 1] planner (auto): Plan for", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("[turn 4] writer (auto): Draft 2:", lines[4], StringComparison.Ordinal);
        Assert.Matches(@"^status Terminated after 5 turns; tokens in \d+ out \d+; writer streamed \d+ updates$", lines[6]);
    }

    [Fact]
    public async Task ResearchTeam_Offline_SameOutputEveryRun()
    {
        var first = new StringWriter();
        var second = new StringWriter();

        await ResearchTeamSample.RunAsync(new OfflineChatClient(), first);
        await ResearchTeamSample.RunAsync(new OfflineChatClient(), second);

        Assert.Equal(first.ToString(), second.ToString());
    }

    [Fact]
    public async Task ParallelAnalysis_Offline_ThreeAnalysesAndAnAggregate()
    {
        var output = new StringWriter();

        RunResult result = await Eventually.Within(ParallelAnalysisSample.RunAsync(new OfflineChatClient(), output), "the analysis");

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(["performance", "reliability", "cost", "aggregate"], result.Steps.Select(s => s.Name));
        Assert.StartsWith("Recommendation: migrate. Performance: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("Reliability: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("Cost: ", result.Output, StringComparison.Ordinal);
        string[] lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal($"question: {ParallelAnalysisSample.Question}", lines[0]);
        Assert.StartsWith("[performance] ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("[aggregate] Recommendation: migrate.", lines[4], StringComparison.Ordinal);
        // The cost analyst's model called the calculate tool (a ToolAgent, through the runtime) and quoted it.
        Assert.Contains("about two sprints: 40 engineer-days", lines[3], StringComparison.Ordinal);
        Assert.Matches(@"^status Succeeded; 4 steps; tokens in [1-9]\d* out [1-9]\d*$", lines[5]);
    }

    [Fact]
    public async Task OpenAiClient_Response_PostsTheMessagesAndReadsTextAndUsage()
    {
        var handler = new RecordingHandler("""{"id":"r1","model":"m","choices":[{"message":{"role":"assistant","content":"hi there"}}],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""");
        using var http = new HttpClient(handler);
        using var client = new OpenAiCompatibleChatClient("http://model.test/v1/", "key-1", "small-model", http);

        ChatResponse response = await client.GetResponseAsync([new(ChatRole.System, "be brief"), new(ChatRole.User, "hello")]);

        Assert.Equal("hi there", response.Text);
        Assert.Equal((9L, 2L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount));
        Assert.Equal("http://model.test/v1/chat/completions", handler.Uri!.ToString());
        Assert.Equal("Bearer key-1", handler.Authorization);
        using JsonDocument body = JsonDocument.Parse(handler.Body!);
        Assert.Equal("small-model", body.RootElement.GetProperty("model").GetString());
        Assert.False(body.RootElement.GetProperty("stream").GetBoolean());
        Assert.Equal(["system:be brief", "user:hello"],
            body.RootElement.GetProperty("messages").EnumerateArray().Select(m => $"{m.GetProperty("role").GetString()}:{m.GetProperty("content").GetString()}"));
    }

    [Fact]
    public async Task OpenAiClient_Streaming_ReadsEventsUntilDone()
    {
        const string Events = """
            data: {"choices":[{"delta":{"role":"assistant","content":"Hel"}}]}

            data: {"choices":[{"delta":{"content":"lo"}}]}

            data: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2}}

            data: [DONE]

            """;
        var handler = new RecordingHandler(Events);
        using var http = new HttpClient(handler);
        using var client = new OpenAiCompatibleChatClient("http://model.test/v1", null, "m", http);
        var text = new StringBuilder();
        long output = 0;

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]))
        {
            text.Append(update.Text);
            output += update.Contents.OfType<UsageContent>().Sum(u => u.Details.OutputTokenCount ?? 0);
        }

        Assert.Equal("Hello", text.ToString());
        Assert.Equal(2, output);
        Assert.Null(handler.Authorization);
        Assert.Contains("\"stream\":true", handler.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiClient_ErrorStatus_ThrowsWithTheDetail()
    {
        using var http = new HttpClient(new RecordingHandler("""{"error":"bad key"}""", HttpStatusCode.Unauthorized));
        using var client = new OpenAiCompatibleChatClient("http://model.test/v1", "k", "m", http);

        HttpRequestException e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync([new(ChatRole.User, "hi")]));

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Contains("bad key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiClient_Tools_DeclaredCallsReadAndResultsSentBack()
    {
        var handler = new RecordingHandler("""
            {"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[
              {"id":"c1","type":"function","function":{"name":"calculate","arguments":"{\"input\":\"2*3\"}"}},
              {"id":"c2","type":"function","function":{"name":"calculate","arguments":"not json"}}]},"finish_reason":"tool_calls"}]}
            """);
        using var http = new HttpClient(handler);
        using var client = new OpenAiCompatibleChatClient("http://model.test/v1", null, "m", http);
        var tool = new ChatTool("calculate", "Evaluates arithmetic.", new FastAgents.Runtime.AgentId(7));
        ChatOptions options = new() { Tools = [Microsoft.Extensions.AI.AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, Schema())] };
        ChatMessage[] conversation =
        [
            new(ChatRole.User, "what is 2*3?"),
            new(ChatRole.Assistant, [new FunctionCallContent("c0", "calculate", new Dictionary<string, object?> { ["input"] = "1+1", ["n"] = 2 })]),
            new(ChatRole.Tool, [new FunctionResultContent("c0", "2")]),
        ];

        ChatResponse response = await client.GetResponseAsync(conversation, options);

        FunctionCallContent[] calls = [.. response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()];
        Assert.Equal(["c1", "c2"], calls.Select(c => c.CallId));
        Assert.Equal("2*3", ((JsonElement)calls[0].Arguments!["input"]!).GetString());
        Assert.Null(calls[1].Arguments);
        Assert.NotNull(calls[1].Exception);
        using JsonDocument body = JsonDocument.Parse(handler.Body!);
        JsonElement declared = body.RootElement.GetProperty("tools")[0];
        Assert.Equal(("function", "calculate", "string"), (
            declared.GetProperty("type").GetString(),
            declared.GetProperty("function").GetProperty("name").GetString(),
            declared.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("input").GetProperty("type").GetString()));
        JsonElement[] sent = [.. body.RootElement.GetProperty("messages").EnumerateArray()];
        Assert.Equal(["user", "assistant", "tool"], sent.Select(m => m.GetProperty("role").GetString()));
        JsonElement call = sent[1].GetProperty("tool_calls")[0];
        Assert.Equal(("c0", "calculate"), (call.GetProperty("id").GetString(), call.GetProperty("function").GetProperty("name").GetString()));
        using JsonDocument arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.Equal(("1+1", 2), (arguments.RootElement.GetProperty("input").GetString(), arguments.RootElement.GetProperty("n").GetInt32()));
        Assert.False(sent[1].TryGetProperty("content", out _));
        Assert.Equal(("c0", "2"), (sent[2].GetProperty("tool_call_id").GetString(), sent[2].GetProperty("content").GetString()));
    }

    [Fact]
    public async Task OpenAiClient_StreamedToolCalls_AssembledFromTheirPiecesAtTheEnd()
    {
        const string Events = """
            data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"calculate","arguments":""}}]}}]}

            data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"inp"}}]}}]}

            data: {"choices":[{"delta":{"tool_calls":[{"index":1,"id":"c2","function":{"name":"other","arguments":"{}"}}]}}]}

            data: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ut\":\"7*6\"}"}}]}}]}

            data: {"choices":[{"delta":{},"finish_reason":"tool_calls"}]}

            data: [DONE]

            """;
        using var http = new HttpClient(new RecordingHandler(Events));
        using var client = new OpenAiCompatibleChatClient("http://model.test/v1", null, "m", http);
        var updates = new List<ChatResponseUpdate>();

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]))
        {
            updates.Add(update);
        }

        FunctionCallContent[] calls = [.. updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>()];
        Assert.Equal([("c1", "calculate"), ("c2", "other")], calls.Select(c => (c.CallId, c.Name)));
        Assert.Equal("7*6", ((JsonElement)calls[0].Arguments!["input"]!).GetString());
        Assert.Empty(calls[1].Arguments!);
        Assert.Same(updates[^1], updates.Single(u => u.Contents.OfType<FunctionCallContent>().Any()));
    }

    [Theory]
    [InlineData("2 * 4 * 5", "40")]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("-2.5 * -(4 - 6)", "-5.0")]
    [InlineData("10 / 4", "2.5")]
    public void Calculator_Evaluates(string expression, string value) => Assert.Equal(value, Calculator.Evaluate(expression));

    [Theory]
    [InlineData("")]
    [InlineData("2 +")]
    [InlineData("(1 + 2")]
    [InlineData("2 x 3")]
    public void Calculator_MalformedExpression_Refused(string expression) => Assert.Throws<FormatException>(() => Calculator.Evaluate(expression));

    [Fact]
    public void Calculator_DeepNesting_RefusedWithoutExhaustingTheStack()
    {
        Assert.Equal("1", Calculator.Evaluate(new string('(', 64) + "1" + new string(')', 64)));
        Assert.Throws<FormatException>(() => Calculator.Evaluate(new string('(', 100_000) + "1" + new string(')', 100_000)));
        Assert.Throws<FormatException>(() => Calculator.Evaluate(new string('-', 100_000) + "1"));
    }

    [Fact]
    public async Task OpenAiClient_StreamedToolCallsWithoutIndex_EachNewIdIsANewCall()
    {
        const string Events = """
            data: {"choices":[{"delta":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{\"input\":"}}]}}]}

            data: {"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"\"x\"}"}}]}}]}

            data: {"choices":[{"delta":{"tool_calls":[{"id":"b","function":{"name":"g","arguments":"{}"}}]}}]}

            data: [DONE]

            """;
        using var http = new HttpClient(new RecordingHandler(Events));
        using var client = new OpenAiCompatibleChatClient("http://model.test/v1", null, "m", http);
        var calls = new List<FunctionCallContent>();

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]))
        {
            calls.AddRange(update.Contents.OfType<FunctionCallContent>());
        }

        Assert.Equal([("a", "f"), ("b", "g")], calls.Select(c => (c.CallId, c.Name)));
        Assert.Equal("x", ((JsonElement)calls[0].Arguments!["input"]!).GetString());
    }

    private static JsonElement Schema() => JsonDocument.Parse("""{"type":"object","properties":{"input":{"type":"string"}},"required":["input"]}""").RootElement.Clone();

    private sealed class RecordingHandler(string response, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public Uri? Uri { get; private set; }

        public string? Authorization { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri;
            Authorization = request.Headers.Authorization?.ToString();
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(response, Encoding.UTF8, "application/json") };
        }
    }
}
