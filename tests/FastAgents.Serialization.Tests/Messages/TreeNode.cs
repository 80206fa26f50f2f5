namespace FastAgents.Serialization.Tests.Messages;

/// <summary>A recursive type: the reader must bound its depth.</summary>
[FastMessage]
public partial class TreeNode
{
    public int Value { get; set; }

    public TreeNode? Next { get; set; }
}
