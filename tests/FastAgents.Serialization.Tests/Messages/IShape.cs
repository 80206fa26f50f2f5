namespace FastAgents.Serialization.Tests.Messages;

[FastUnion(0, typeof(Circle))]
[FastUnion(1, typeof(Square))]
[FastUnion(300, typeof(Polygon))]
public interface IShape
{
}
