namespace FastAgents.Serialization.Tests;

public sealed class OverwriteTests
{
    [Fact]
    public void Deserialize_IntoExistingInstance_ReusesItAndNestedObjects()
    {
        var nested = new Person { Age = 1 };
        var ints = new int[3];
        AllShapes? target = new() { Nested = nested, Ints = ints };
        AllShapes original = target;
        byte[] bytes = FastSerializer.Serialize(new AllShapes { Nested = new Person { Age = 9, Name = "z" }, Ints = [7, 8, 9] });

        int read = FastSerializer.Deserialize(bytes, ref target);

        Assert.Equal(bytes.Length, read);
        Assert.Same(original, target);
        Assert.Same(nested, target!.Nested);
        Assert.Same(ints, target.Ints);
        Assert.Equal((9, "z"), (nested.Age, nested.Name));
        Assert.Equal([7, 8, 9], ints);
    }

    [Fact]
    public void Deserialize_NullIntoExistingInstance_GivesNull()
    {
        Person? target = new() { Age = 3 };
        FastSerializer.Deserialize(Hex.Parse("FF"), ref target);
        Assert.Null(target);
    }

    [Fact]
    public void Deserialize_InitOnlyType_CreatesNewInstance()
    {
        InitOnlyMessage? target = new() { Id = 1 };
        InitOnlyMessage first = target;
        FastSerializer.Deserialize(FastSerializer.Serialize(new InitOnlyMessage { Id = 2 }), ref target);
        Assert.NotSame(first, target);
        Assert.Equal(2, target!.Id);
    }

    [Fact]
    public void Deserialize_UnionOfSameCase_ReusesInstance()
    {
        IShape? target = new Square { Side = 1 };
        IShape first = target;
        FastSerializer.Deserialize(FastSerializer.Serialize<IShape>(new Square { Side = 5 }), ref target);
        Assert.Same(first, target);
        Assert.Equal(5, ((Square)target!).Side);
    }
}
