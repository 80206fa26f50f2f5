using System.Text.Json;
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

    public List<WireTool>? Tools { get; set; }
}

/// <summary>A function the model may call.</summary>
internal sealed class WireTool
{
    public string Type { get; set; } = "function";

    public WireFunction Function { get; set; } = new();
}

/// <summary>A function's name, description and JSON schema of its arguments.</summary>
internal sealed class WireFunction
{
    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public JsonElement? Parameters { get; set; }
}

/// <summary>A call the model makes (in a streamed chunk, a piece of one, placed by <see cref="Index"/>).</summary>
internal sealed class WireToolCall
{
    public int? Index { get; set; }

    public string? Id { get; set; }

    public string? Type { get; set; }

    public WireFunctionCall? Function { get; set; }
}

/// <summary>The function a call names and its arguments as a JSON text.</summary>
internal sealed class WireFunctionCall
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
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

    public List<WireToolCall>? ToolCalls { get; set; }

    public string? ToolCallId { get; set; }
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
