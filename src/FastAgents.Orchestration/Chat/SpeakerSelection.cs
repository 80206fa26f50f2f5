using FastAgents.Runtime;
using Microsoft.Extensions.AI;

namespace FastAgents.Orchestration;

/// <summary>
/// Chooses who speaks next in a <see cref="GroupChat"/>. Use the built-in ones (<see cref="RoundRobin"/>,
/// <see cref="Random"/>, <see cref="Manual(Func{SelectionContext, string?})"/>, <see cref="Manual(AgentId, TimeSpan?)"/>,
/// <see cref="Auto"/>) or derive your own.
/// </summary>
/// <remarks>
/// A selection may keep state between turns (a random sequence); one instance should serve one chat at a time. An
/// invalid choice (<see cref="SpeakerChoice.Invalid"/>) is not an error: the chat logs the reason and the next member
/// in turn speaks. An exception thrown by a selection fails the chat.
/// </remarks>
public abstract class SpeakerSelection
{
    /// <summary>The name recorded in <see cref="ChatEntry.Selection"/> for a choice this selection made.</summary>
    public abstract string Name { get; }

    /// <summary>Chooses the next speaker.</summary>
    /// <param name="context">The members, the transcript, the turn.</param>
    /// <param name="cancellationToken">The chat's token; a selection that waits on something should honour it.</param>
    public abstract ValueTask<SpeakerChoice> SelectAsync(SelectionContext context, CancellationToken cancellationToken);

    /// <summary>Each member in the chat's order, starting with the first.</summary>
    public static SpeakerSelection RoundRobin() => new RoundRobinSelection();

    /// <summary>A member drawn uniformly at random; never the previous speaker when there are two or more members.</summary>
    /// <param name="seed">A seed for a repeatable sequence; null for a random one.</param>
    public static SpeakerSelection Random(int? seed = null) => new RandomSelection(seed);

    /// <summary>
    /// The caller's <paramref name="chooser"/> names the next speaker (matched with <see cref="SelectionContext.FindMember"/>);
    /// it runs on the chat's thread and should be quick.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="chooser"/> is null.</exception>
    public static SpeakerSelection Manual(Func<SelectionContext, string?> chooser)
    {
        ArgumentNullException.ThrowIfNull(chooser);
        return new CallbackSelection(chooser);
    }

    /// <summary>
    /// Asks <paramref name="chooser"/> (a <see cref="UserProxyAgent"/>, or any agent that answers <see cref="StepRequest"/>)
    /// through the runtime to name the next speaker; the request's instruction lists the members and its parts carry the
    /// latest message. A failed or unmatched answer is an invalid choice.
    /// </summary>
    /// <param name="chooser">The agent asked.</param>
    /// <param name="timeout">How long to wait for the answer; null for the runtime's default ask timeout.</param>
    public static SpeakerSelection Manual(AgentId chooser, TimeSpan? timeout = null) => new AgentSelection(chooser, timeout);

    /// <summary>
    /// A <paramref name="selector"/> model chooses from the members' names and descriptions and the transcript, answering
    /// with a name. An answer that names no member (or several), or a call that throws, is an invalid choice.
    /// </summary>
    /// <param name="selector">The chat client asked; not disposed by the selection.</param>
    /// <param name="options">Options for its calls; null for the client's defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/> is null.</exception>
    public static SpeakerSelection Auto(IChatClient selector, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new AutoSelection(selector, options);
    }
}
