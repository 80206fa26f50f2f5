namespace FastAgents.TransportBench;

/// <summary>Bad command-line arguments: Program prints the message and the role's usage line and exits with 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
