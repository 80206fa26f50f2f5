using Microsoft.Extensions.AI;

namespace FastAgents.Orchestration;

/// <summary>Settings of a <see cref="ChatAgent"/>.</summary>
public sealed record ChatAgentOptions
{
    /// <summary>What the agent does: shown to an automatic speaker selector in a <see cref="GroupChat"/>.</summary>
    public string? Description { get; init; }

    /// <summary>The system prompt sent first in every call; null or empty for none.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>
    /// When true, replies are requested with <see cref="IChatClient.GetStreamingResponseAsync"/> and assembled from the
    /// updates (each passed to <see cref="OnUpdate"/> as it arrives); when false (the default), with
    /// <see cref="IChatClient.GetResponseAsync"/>.
    /// </summary>
    public bool Streaming { get; init; }

    /// <summary>
    /// Called with the agent's name and the text of each streamed update, in order, on the thread that reads the
    /// stream (not the agent's worker). Keep it quick; an exception from it fails the step.
    /// </summary>
    public Action<string, string>? OnUpdate { get; init; }

    /// <summary>
    /// How many messages of conversation memory (user and assistant, oldest dropped first) are sent with each call.
    /// 0 keeps no memory: every step is a fresh conversation. Default 64.
    /// </summary>
    public int MemoryLength
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MemoryLength), value, "Memory length cannot be negative.");
    } = 64;

    /// <summary>
    /// Options passed to the chat client on every call (model, temperature, ...); null for the client's defaults. The
    /// agent adds the declarations of <see cref="Tools"/> to a copy; the instance given is not changed.
    /// </summary>
    public ChatOptions? ChatOptions { get; init; }

    /// <summary>
    /// Functions the model may call, each done by an agent (see <see cref="ChatTool"/>); null or empty for none. Names
    /// must differ. When the model calls tools, the agent asks their agents (the calls of one answer at once, each
    /// through the runtime), sends the results back to the model, and repeats until the model answers with text.
    /// Tools already in <see cref="ChatOptions"/> are still offered; calls to them are for the client to handle (a
    /// function-invoking client): one that reaches the agent is answered to the model as an unknown tool.
    /// </summary>
    public IReadOnlyList<ChatTool>? Tools { get; init; }

    /// <summary>
    /// How many times in one step the model may answer with tool calls before the step fails (a model that never stops
    /// calling tools would otherwise loop). Default 8.
    /// </summary>
    public int MaxToolRounds
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxToolRounds), value, "At least one round of tool calls.");
    } = 8;
}
