using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace FastAgents.Samples;

/// <summary>
/// A small <see cref="IChatClient"/> for endpoints that speak the OpenAI chat-completions protocol: it POSTs
/// <c>{baseUrl}/chat/completions</c> with a bearer key, the model and the messages' text (roles system, user,
/// assistant), and reads the answer and its usage; streaming reads the server-sent events (<c>data: {...}</c> lines
/// up to <c>data: [DONE]</c>). Tools, images and other content kinds are not sent.
/// </summary>
public sealed class OpenAiCompatibleChatClient : IChatClient
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _model;

    /// <summary>Creates a client for <paramref name="baseUrl"/> (for example <c>https://api.openai.com/v1</c>).</summary>
    /// <param name="baseUrl">The API's base address; <c>/chat/completions</c> is appended.</param>
    /// <param name="apiKey">The bearer key; null or empty to send none (local servers).</param>
    /// <param name="model">The model name sent with every request unless <see cref="ChatOptions.ModelId"/> says otherwise.</param>
    /// <param name="http">The HTTP client to use (not disposed here); null for a new one, disposed with this client.</param>
    public OpenAiCompatibleChatClient(string baseUrl, string? apiKey, string model, HttpClient? http = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(model);
        _endpoint = new Uri(baseUrl.TrimEnd('/') + "/chat/completions");
        _model = model;
        OwnsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
    }

    private bool OwnsHttp { get; }

    private string? ApiKey { get; }

    /// <summary>
    /// A client from <c>FASTAGENTS_OPENAI_BASE_URL</c>, <c>FASTAGENTS_OPENAI_API_KEY</c> (optional) and
    /// <c>FASTAGENTS_OPENAI_MODEL</c>; null when the base address is not set.
    /// </summary>
    /// <exception cref="InvalidOperationException">The base address is set but the model is not.</exception>
    public static OpenAiCompatibleChatClient? FromEnvironment()
    {
        string? baseUrl = Environment.GetEnvironmentVariable("FASTAGENTS_OPENAI_BASE_URL");
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            return null;
        }

        string? model = Environment.GetEnvironmentVariable("FASTAGENTS_OPENAI_MODEL");
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException("FASTAGENTS_OPENAI_BASE_URL is set; FASTAGENTS_OPENAI_MODEL must name the model too.");
        }

        return new OpenAiCompatibleChatClient(baseUrl, Environment.GetEnvironmentVariable("FASTAGENTS_OPENAI_API_KEY"), model);
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using HttpRequestMessage request = Request(messages, options, stream: false);
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        CompletionResponse body = await response.Content.ReadFromJsonAsync(OpenAiJsonContext.Default.CompletionResponse, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The endpoint returned an empty body.");
        string text = body.Choices is [{ Message.Content: { } content }, ..] ? content : "";
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = body.Id,
            ModelId = body.Model,
            Usage = Usage(body.Usage),
        };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using HttpRequestMessage request = Request(messages, options, stream: true);
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            string data = line[5..].Trim();
            if (data == "[DONE]")
            {
                yield break;
            }

            CompletionResponse? chunk = System.Text.Json.JsonSerializer.Deserialize(data, OpenAiJsonContext.Default.CompletionResponse);
            if (chunk?.Choices is [{ Delta.Content: { Length: > 0 } piece }, ..])
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ResponseId = chunk.Id, ModelId = chunk.Model };
            }

            if (Usage(chunk?.Usage) is { } usage)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)]);
            }
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (OwnsHttp)
        {
            _http.Dispose();
        }
    }

    private HttpRequestMessage Request(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var body = new CompletionRequest
        {
            Model = options?.ModelId ?? _model,
            Stream = stream,
            StreamOptions = stream ? new StreamOptions { IncludeUsage = true } : null,
            Temperature = options?.Temperature,
            MaxTokens = options?.MaxOutputTokens,
        };
        foreach (ChatMessage message in messages)
        {
            body.Messages.Add(new WireMessage { Role = message.Role.Value, Content = message.Text });
        }

        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = JsonContent.Create(body, OpenAiJsonContext.Default.CompletionRequest),
        };
        if (ApiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }

        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            string detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"The endpoint answered {(int)response.StatusCode}: {detail}", null, response.StatusCode);
        }
    }

    private static UsageDetails? Usage(WireUsage? usage) => usage is null
        ? null
        : new UsageDetails { InputTokenCount = usage.PromptTokens, OutputTokenCount = usage.CompletionTokens, TotalTokenCount = usage.TotalTokens };
}
