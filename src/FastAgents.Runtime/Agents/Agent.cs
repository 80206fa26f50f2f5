namespace FastAgents.Runtime;

/// <summary>
/// Base class of every agent. An agent's state is touched by one thread only, its worker's, so it needs no
/// locks; messages reach it through the handlers it lists in <see cref="Configure"/>.
/// </summary>
/// <remarks>
/// A handler must not block on work other agents do (it would stall every agent on the worker). It replies,
/// sends and publishes through the <see cref="AgentContext"/> it is given, which is valid only during the call.
/// </remarks>
public abstract class Agent
{
    /// <summary>This agent's id; set before <see cref="OnStart"/>.</summary>
    public AgentId Id { get; internal set; }

    /// <summary>
    /// Lists the messages this agent handles: <c>handlers.Add&lt;Ping&gt;(this)</c> for each <see cref="IHandle{TMessage}"/>
    /// it implements. Called once per instance, before <see cref="OnStart"/>.
    /// </summary>
    /// <param name="handlers">The agent's handler table.</param>
    protected internal abstract void Configure(HandlerMap handlers);

    /// <summary>Called on the agent's worker before its first message (and after a restart, on the fresh instance).</summary>
    /// <param name="context">The context for this call.</param>
    protected internal virtual void OnStart(AgentContext context)
    {
    }

    /// <summary>Called on the agent's worker once it has handled its last message.</summary>
    /// <param name="context">The context for this call.</param>
    protected internal virtual void OnStop(AgentContext context)
    {
    }
}

/// <summary>A handler for messages of type <typeparamref name="TMessage"/>.</summary>
/// <typeparam name="TMessage">
/// The message type. Structs of unmanaged fields are read from the envelope without allocating; a class message
/// is a fresh instance per delivery.
/// </typeparam>
public interface IHandle<TMessage>
{
    /// <summary>Handles one message. Runs on the agent's worker; see <see cref="Agent"/> for the rules.</summary>
    /// <param name="message">The message.</param>
    /// <param name="context">Who sent it, and how to reply, send and publish; valid only during this call.</param>
    void Handle(in TMessage message, AgentContext context);
}
