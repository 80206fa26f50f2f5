using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FastAgents.Serialization.Generator;

/// <summary>A diagnostic location without a reference to the syntax tree, so models do not pin a compilation.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }
}
