namespace FastAgents.Serialization.Tests.Messages;

[FastMessage]
public partial class AllShapes
{
    public bool Flag { get; set; }

    public Color Color { get; set; }

    public decimal Money { get; set; }

    public Guid Id { get; set; }

    public string? Text { get; set; }

    public int[]? Ints { get; set; }

    public string?[]? Strings { get; set; }

    public List<int>? IntList { get; set; }

    public List<string?>? StringList { get; set; }

    public Dictionary<int, string?>? Map { get; set; }

    public int? MaybeInt { get; set; }

    public long? MaybeLong { get; set; }

    public (int, long) Pair { get; set; }

    public (string?, int) NamedPair { get; set; }

    public Person? Nested { get; set; }

    public List<Person?>? People { get; set; }

    public IShape? Shape { get; set; }

    public PaddedStruct Padded { get; set; }

    public double Ratio;
}
