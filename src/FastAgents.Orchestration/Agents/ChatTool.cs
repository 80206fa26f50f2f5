using System.Buffers;
using System.Text.Json;
using FastAgents.Runtime;
using Microsoft.Extensions.AI;

namespace FastAgents.Orchestration;

/// <summary>
/// A function a <see cref="ChatAgent"/>'s model may call, done by an agent: the model sees <see cref="Name"/>,
/// <see cref="Description"/> and one string argument, <c>input</c>; the chat agent asks <see cref="Agent"/> with a
/// <see cref="StepRequest"/> carrying that input and hands the reply's output back to the model.
/// </summary>
/// <remarks>
/// Any agent that answers <see cref="StepRequest"/> can serve, typically a <see cref="ToolAgent"/> wrapping a .NET
/// function. The call goes through the runtime like any ask, so the tool may live on another worker or, through the
/// router, in another process.
/// </remarks>
public sealed class ChatTool
{
    private AIFunctionDeclaration? _declaration;

    /// <summary>A tool called <paramref name="name"/>, described to the model by <paramref name="description"/>, done by <paramref name="agent"/>.</summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> is not 1 to 64 ASCII letters, digits, '_' or '-' (what model APIs accept), the
    /// description is empty, or <paramref name="agent"/> is <see cref="AgentId.None"/>.
    /// </exception>
    public ChatTool(string name, string description, AgentId agent)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(description);
        if (name.Length > 64 || !name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException($"A tool name is 1 to 64 ASCII letters, digits, '_' or '-'; '{name}' is not.", nameof(name));
        }

        if (agent.IsNone)
        {
            throw new ArgumentException("A tool needs an agent to do its work.", nameof(agent));
        }

        Name = name;
        Description = description;
        Agent = agent;
    }

    /// <summary>The function's name, as the model calls it.</summary>
    public string Name { get; }

    /// <summary>What the function does, for the model.</summary>
    public string Description { get; }

    /// <summary>The agent asked for each call.</summary>
    public AgentId Agent { get; }

    /// <summary>What the model is told about the <c>input</c> argument. Default "The input for the tool, as text."</summary>
    public string InputDescription
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            field = value;
            _declaration = null;
        }
    } = "The input for the tool, as text.";

    /// <summary>How long one call may take; null for the runtime's default ask timeout. A call that runs out is reported to the model as an error.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan? Timeout
    {
        get;
        init => field = value is null || value.Value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Timeout), value, "A tool timeout must be positive.");
    }

    /// <summary>The declaration sent to the model in <see cref="ChatOptions.Tools"/>.</summary>
    internal AIFunctionDeclaration Declaration => _declaration ??= AIFunctionFactory.CreateDeclaration(Name, Description, Schema(InputDescription));

    private static JsonElement Schema(string inputDescription)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "object");
            json.WriteStartObject("properties");
            json.WriteStartObject("input");
            json.WriteString("type", "string");
            json.WriteString("description", inputDescription);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("required");
            json.WriteStringValue("input");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
