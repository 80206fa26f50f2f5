using System.Runtime.CompilerServices;

namespace FastAgents.Perf.Load;

/// <summary>Reads the outcome of a completed send without letting an exception escape.</summary>
internal static class SendOutcome
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Of(ValueTask<bool> completed) => completed.IsCompletedSuccessfully ? completed.Result : Faulted(completed);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Faulted(ValueTask<bool> completed)
    {
        try
        {
            // Observes the exception (and releases a pooled source behind the task).
            _ = completed.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
        }

        return false;
    }
}
