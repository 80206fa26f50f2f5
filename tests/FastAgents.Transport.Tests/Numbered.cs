namespace FastAgents.Transport.Tests;

/// <summary>A message with its sender's sequence number: tests count and order them exactly.</summary>
public readonly record struct Numbered(long Sequence);
