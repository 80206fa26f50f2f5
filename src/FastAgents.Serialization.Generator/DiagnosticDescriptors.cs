using Microsoft.CodeAnalysis;

namespace FastAgents.Serialization.Generator;

/// <summary>Every diagnostic the generator reports. Ids are stable: documentation and tests refer to them.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "FastAgents.Serialization";

    public static readonly DiagnosticDescriptor MustBePartial = new(
        "FASER001", "Type must be partial", "'{0}' must be declared partial (and so must every type that contains it) to be a [FastMessage]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedMemberType = new(
        "FASER002", "Member type is not serializable", "Member '{0}' of '{1}' has type '{2}', which cannot be serialized; mark the member [FastIgnore], or [FastCustomFormatter] if a hand-written formatter is registered for the type",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateUnionTag = new(
        "FASER003", "Duplicate union tag", "Union '{0}' uses tag {1} more than once",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidOrder = new(
        "FASER004", "Invalid member order", "'{0}': {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoConstructor = new(
        "FASER005", "No usable constructor", "'{0}' needs a parameterless constructor or a constructor whose parameters all match serialized members by name and type",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericNotSupported = new(
        "FASER006", "Generic type not supported", "'{0}' is generic; [FastMessage] supports non-generic types only",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor TooManyMembers = new(
        "FASER007", "Too many members", "'{0}' has {1} serialized members; the wire format allows at most 249",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnionCaseNotDerived = new(
        "FASER008", "Union case is not a subtype", "Union case '{1}' of '{0}' does not derive from or implement '{0}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotAccessible = new(
        "FASER009", "Type is not accessible", "'{0}' must be internal or public (private and protected nested types cannot register a formatter)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidUnionType = new(
        "FASER010", "Invalid union type", "'{0}' carries [FastUnion] but is not an interface or abstract class",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
