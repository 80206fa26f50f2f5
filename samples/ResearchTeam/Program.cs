// A research team (planner, writer, critic) in a group chat. Offline by default; a real model when
// FASTAGENTS_OPENAI_BASE_URL and FASTAGENTS_OPENAI_MODEL (and FASTAGENTS_OPENAI_API_KEY) are set.
// Ctrl-C stops the chat and lets the planner, as admin, give the closing word.
using FastAgents.Orchestration;
using FastAgents.Samples;
using Microsoft.Extensions.AI;

(IChatClient client, string description) = SampleClient.FromEnvironment();
using (client)
{
    using CancellationTokenSource cancel = SampleConsole.CancelOnCtrlC();

    Console.WriteLine($"research team: {description}");
    GroupChatResult result = await ResearchTeamSample.RunAsync(client, Console.Out, ResearchTeamSample.Topic, cancel.Token);
    return result.Status is GroupChatStatus.Failed ? 1 : 0;
}
