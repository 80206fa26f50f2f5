namespace FastAgents.Samples;

/// <summary>What the samples' programs share at the console.</summary>
public static class SampleConsole
{
    /// <summary>A source cancelled by Ctrl-C (which then does not end the process), for the sample to stop gracefully.</summary>
    public static CancellationTokenSource CancelOnCtrlC()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return cancel;
    }
}
