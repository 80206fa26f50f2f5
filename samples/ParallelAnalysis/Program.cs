// Three analysts answer one question in parallel and an editor aggregates them. Offline by default; a real model
// when FASTAGENTS_OPENAI_BASE_URL and FASTAGENTS_OPENAI_MODEL (and FASTAGENTS_OPENAI_API_KEY) are set.
using FastAgents.Orchestration;
using FastAgents.Samples;
using Microsoft.Extensions.AI;

(IChatClient client, string description) = SampleClient.FromEnvironment();
using (client)
{
    using CancellationTokenSource cancel = SampleConsole.CancelOnCtrlC();

    Console.WriteLine($"parallel analysis: {description}");
    RunResult result = await ParallelAnalysisSample.RunAsync(client, Console.Out, ParallelAnalysisSample.Question, cancel.Token);
    return result.Completed ? 0 : 1;
}
