using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace FastAgents.Samples;

/// <summary>
/// A small <see cref="IChatClient"/> for endpoints that speak the OpenAI chat-completions protocol: it POSTs
/// <c>{baseUrl}/chat/completions</c> with a bearer key, the model and the messages' text (roles system, user,
/// assistant), and reads the answer and its usage; streaming reads the server-sent events (<c>data: {...}</c> lines
/// up to <c>data: [DONE]</c>). Function calling is supported: the declarations in <see cref="ChatOptions.Tools"/> are
/// sent as <c>tools</c>, the model's <c>tool_calls</c> come back as <see cref="FunctionCallContent"/> (in a stream,
/// assembled from their pieces and returned at its end), and <see cref="FunctionResultContent"/> goes back as
/// <c>tool</c> messages. Images and other content kinds are not sent.
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
        var contents = new List<AIContent>();
        if (body.Choices is [{ Message: { } message }, ..])
        {
            if (!string.IsNullOrEmpty(message.Content))
            {
                contents.Add(new TextContent(message.Content));
            }

            foreach (WireToolCall call in message.ToolCalls ?? [])
            {
                contents.Add(Call(call.Id ?? "", call.Function?.Name ?? "", call.Function?.Arguments));
            }
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
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
        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            string data = line[5..].Trim();
            if (data == "[DONE]")
            {
                break;
            }

            CompletionResponse? chunk = JsonSerializer.Deserialize(data, OpenAiJsonContext.Default.CompletionResponse);
            if (chunk?.Choices is [{ Delta: { } delta }, ..])
            {
                if (delta.Content is { Length: > 0 } piece)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ResponseId = chunk.Id, ModelId = chunk.Model };
                }

                // A call arrives in pieces: the first names it, later ones add to its arguments. A server that sends no
                // index starts a new call with each new id.
                foreach (WireToolCall part in delta.ToolCalls ?? [])
                {
                    int index = part.Index ?? (calls.Count == 0 ? 0
                        : part.Id is not null && part.Id != calls[calls.Count - 1].Id ? calls.Count : calls.Count - 1);
                    (string? Id, string? Name, StringBuilder Arguments) call = calls.TryGetValue(index, out var known) ? known : (null, null, new StringBuilder());
                    calls[index] = (part.Id ?? call.Id, part.Function?.Name ?? call.Name, call.Arguments.Append(part.Function?.Arguments));
                }
            }

            if (Usage(chunk?.Usage) is { } usage)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)]);
            }
        }

        if (calls.Count > 0)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [.. calls.Values.Select(c => (AIContent)Call(c.Id ?? "", c.Name ?? "", c.Arguments.ToString()))]);
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
        foreach (AITool tool in options?.Tools ?? [])
        {
            if (tool is AIFunctionDeclaration function)
            {
                (body.Tools ??= []).Add(new WireTool
                {
                    Function = new WireFunction { Name = function.Name, Description = function.Description, Parameters = function.JsonSchema },
                });
            }
        }

        foreach (ChatMessage message in messages)
        {
            AddMessage(body.Messages, message);
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

    /// <summary>A message as the wire has it: function results are one <c>tool</c> message each; calls ride on the assistant's.</summary>
    private static void AddMessage(List<WireMessage> wire, ChatMessage message)
    {
        List<WireToolCall>? calls = null;
        foreach (AIContent content in message.Contents)
        {
            switch (content)
            {
                case FunctionResultContent result:
                    wire.Add(new WireMessage { Role = "tool", ToolCallId = result.CallId, Content = Convert.ToString(result.Result, CultureInfo.InvariantCulture) ?? "" });
                    break;
                case FunctionCallContent call:
                    (calls ??= []).Add(new WireToolCall
                    {
                        Id = call.CallId,
                        Type = "function",
                        Function = new WireFunctionCall { Name = call.Name, Arguments = ArgumentsJson(call.Arguments) },
                    });
                    break;
            }
        }

        string text = message.Text;
        if (calls is not null || text.Length > 0 || !message.Contents.OfType<FunctionResultContent>().Any())
        {
            wire.Add(new WireMessage { Role = message.Role.Value, Content = calls is not null && text.Length == 0 ? null : text, ToolCalls = calls });
        }
    }

    /// <summary>A call's arguments as the JSON object text the wire carries.</summary>
    private static string ArgumentsJson(IDictionary<string, object?>? arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (KeyValuePair<string, object?> argument in arguments ?? new Dictionary<string, object?>())
            {
                json.WritePropertyName(argument.Key);
                switch (argument.Value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case JsonElement element:
                        element.WriteTo(json);
                        break;
                    case bool flag:
                        json.WriteBooleanValue(flag);
                        break;
                    case int or long or decimal:
                        json.WriteNumberValue(Convert.ToDecimal(argument.Value, CultureInfo.InvariantCulture));
                        break;
                    case double or float when double.IsFinite(Convert.ToDouble(argument.Value, CultureInfo.InvariantCulture)):
                        json.WriteNumberValue(Convert.ToDouble(argument.Value, CultureInfo.InvariantCulture));
                        break;
                    default:
                        json.WriteStringValue(Convert.ToString(argument.Value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A call from the wire; arguments that are not a JSON object leave it without arguments and with the error.</summary>
    private static FunctionCallContent Call(string id, string name, string? argumentsJson)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new FunctionCallContent(id, name) { Exception = new FormatException("The arguments are not a JSON object.") };
            }

            var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }

            return new FunctionCallContent(id, name, arguments);
        }
        catch (JsonException e)
        {
            return new FunctionCallContent(id, name) { Exception = e };
        }
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
