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

    /// <summary>Options passed to the chat client on every call (model, temperature, ...); null for the client's defaults.</summary>
    public ChatOptions? ChatOptions { get; init; }
}
