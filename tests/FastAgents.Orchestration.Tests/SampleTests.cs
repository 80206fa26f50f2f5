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
