namespace FastAgents.Orchestration;

/// <summary>
/// What an <see cref="AsyncStepAgent"/> tells itself when the asynchronous work of a step has finished off its worker:
/// the step's ticket. Only the agent itself sends it; a ticket it does not know is ignored. The step's result stays
/// in the agent's own record of the step; the ring's publication orders the write of that result before this message
/// is read.
/// </summary>
/// <param name="Ticket">The step's ticket, unique in the process.</param>
public readonly record struct StepCompleted(long Ticket);
