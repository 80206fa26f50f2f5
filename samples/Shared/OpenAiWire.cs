using System.Text.Json.Serialization;

namespace FastAgents.Samples;

/// <summary>The request body of <c>POST /chat/completions</c>.</summary>
internal sealed class CompletionRequest
{
    public string Model { get; set; } = "";

    public List<WireMessage> Messages { get; set; } = [];

    public bool Stream { get; set; }

    public StreamOptions? StreamOptions { get; set; }

    public float? Temperature { get; set; }

    public int? MaxTokens { get; set; }
}

/// <summary>Asks a streaming endpoint to send usage in its last chunk.</summary>
internal sealed class StreamOptions
{
    public bool IncludeUsage { get; set; }
}

/// <summary>One message, in a request, a response (<c>message</c>) or a chunk (<c>delta</c>).</summary>
internal sealed class WireMessage
{
    public string? Role { get; set; }

    public string? Content { get; set; }
}

/// <summary>A response, or one chunk of a streamed response.</summary>
internal sealed class CompletionResponse
{
    public string? Id { get; set; }

    public string? Model { get; set; }

    public List<WireChoice>? Choices { get; set; }

    public WireUsage? Usage { get; set; }
}

/// <summary>One choice of a response.</summary>
internal sealed class WireChoice
{
    public WireMessage? Message { get; set; }

    public WireMessage? Delta { get; set; }

    public string? FinishReason { get; set; }
}

/// <summary>Token counts.</summary>
internal sealed class WireUsage
{
    public long? PromptTokens { get; set; }

    public long? CompletionTokens { get; set; }

    public long? TotalTokens { get; set; }
}

/// <summary>Source-generated (de)serialization of the wire types: snake_case names, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(CompletionResponse))]
internal sealed partial class OpenAiJsonContext : JsonSerializerContext;
