namespace FastAgents.Serialization.Tests.Messages;

public partial class Outer
{
    [FastMessage]
    internal partial struct Inner
    {
        public string? Text { get; set; }

        public int Number { get; set; }
    }
}
