namespace FastAgents.Cli.Router;

/// <summary>
/// What echo agents answer: two 64-bit integers, laid out as MemoryPack lays out an unmanaged struct (16 bytes,
/// little-endian). Its payload type id is the FNV-1a-32 hash of "FastAgents.Cli.Router.EchoMessage".
/// </summary>
/// <param name="Sequence">The sender's number for the message.</param>
/// <param name="Value">Anything; echoed back.</param>
public readonly record struct EchoMessage(long Sequence, long Value);
