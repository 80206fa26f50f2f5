using System.Runtime.ExceptionServices;
using FastAgents.Perf.Load;
using Spectre.Console;

namespace FastAgents.Cli.Load;

/// <summary>
/// Runs a load on a thread of its own and shows its progress meanwhile: on a terminal, one line redrawn in place
/// (Spectre.Console's live display, four times a second); otherwise a plain line every few seconds.
/// </summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan s_redraw = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs <paramref name="work"/> and returns its result (or rethrows its exception).</summary>
    /// <param name="work">The load run; it runs on a new thread named <c>load generator</c>.</param>
    /// <param name="progress">What to show.</param>
    /// <param name="plainEvery">Interval of plain lines when the output is not a terminal; zero for none.</param>
    /// <param name="output">Where plain lines go.</param>
    public static T Run<T>(Func<T> work, LoadProgress progress, TimeSpan plainEvery, TextWriter output)
    {
        T? result = default;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
#pragma warning disable CA1031 // rethrown on the calling thread below
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            IsBackground = true,
            Name = "load generator",
        };
        thread.Start();

        var line = new ProgressLine();
        if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi)
        {
            AnsiConsole.Live(Render(line, progress)).AutoClear(false).Start(context =>
            {
                while (!thread.Join(s_redraw))
                {
                    context.UpdateTarget(Render(line, progress));
                }

                context.UpdateTarget(Render(line, progress));
            });
        }
        else if (plainEvery > TimeSpan.Zero)
        {
            while (!thread.Join(plainEvery))
            {
                output.WriteLine(line.Format(progress.Read()));
            }
        }
        else
        {
            thread.Join();
        }

        failure?.Throw();
        return result!;
    }

    private static Markup Render(ProgressLine line, LoadProgress progress)
    {
        LoadProgressSnapshot snapshot = progress.Read();
        string color = snapshot.Fail + snapshot.Dropped > 0 ? "red" : snapshot.Phase switch
        {
            LoadPhase.Measuring => "green",
            LoadPhase.Finished => "grey",
            _ => "yellow",
        };
        return new Markup($"[{color}]{Markup.Escape(line.Format(snapshot))}[/]");
    }
}
