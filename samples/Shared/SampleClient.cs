using Microsoft.Extensions.AI;

namespace FastAgents.Samples;

/// <summary>Picks the samples' chat client: a real endpoint when the environment names one, the offline client otherwise.</summary>
public static class SampleClient
{
    /// <summary>The client, and a line saying which it is.</summary>
    public static (IChatClient Client, string Description) FromEnvironment()
    {
        if (OpenAiCompatibleChatClient.FromEnvironment() is { } real)
        {
            return (real, $"model {Environment.GetEnvironmentVariable("FASTAGENTS_OPENAI_MODEL")} at {Environment.GetEnvironmentVariable("FASTAGENTS_OPENAI_BASE_URL")}");
        }

        return (new OfflineChatClient(), "offline chat client (set FASTAGENTS_OPENAI_BASE_URL, FASTAGENTS_OPENAI_MODEL and FASTAGENTS_OPENAI_API_KEY for a real model)");
    }
}
