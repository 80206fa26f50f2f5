namespace FastAgents.Rings.Tests;

/// <summary>Runs threads to completion within a generous bound, so a deadlock fails instead of hanging CI.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public static Thread Start(string name, Action body, List<Exception> faults)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception ex)
            {
                lock (faults)
                {
                    faults.Add(ex);
                }
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return thread;
    }

    public static void Join(Thread thread, string what)
    {
        if (!thread.Join(Limit))
        {
            throw new TimeoutException($"{what} did not finish within {Limit.TotalMinutes} minutes: deadlock, lost wake-up or livelock.");
        }
    }

    public static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        var spinner = new SpinWait();
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {Limit.TotalMinutes} minutes.");
            }

            spinner.SpinOnce();
        }
    }

    public static void NoFaults(List<Exception> faults)
    {
        if (faults.Count > 0)
        {
            throw new AggregateException(faults);
        }
    }
}
