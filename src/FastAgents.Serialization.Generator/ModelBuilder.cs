using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FastAgents.Serialization.Generator;

/// <summary>Turns symbols into <see cref="TypeModel"/> and <see cref="UnionModel"/>, collecting diagnostics.</summary>
internal static class ModelBuilder
{
    public const string AttributeNamespace = "FastAgents.Serialization";
    public const string FastMessageAttribute = AttributeNamespace + ".FastMessageAttribute";
    public const string FastUnionAttribute = AttributeNamespace + ".FastUnionAttribute";
    private const string FastOrderAttribute = AttributeNamespace + ".FastOrderAttribute";
    private const string FastIgnoreAttribute = AttributeNamespace + ".FastIgnoreAttribute";
    private const string FastCustomFormatterAttribute = AttributeNamespace + ".FastCustomFormatterAttribute";
    private const string FormattersNamespace = "global::FastAgents.Serialization.Formatters.";
    private const int MaxMembers = 249;

    private static readonly SymbolDisplayFormat s_fullName = SymbolDisplayFormat.FullyQualifiedFormat;

    private static readonly HashSet<string> s_rawStructs = new(StringComparer.Ordinal)
    {
        "System.Guid", "System.DateTime", "System.TimeSpan", "System.DateOnly", "System.TimeOnly",
        "System.Half", "System.Int128", "System.UInt128",
    };

    public static TypeModel BuildMessage(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();
        Location? location = ((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation();
        string fullName = type.ToDisplayString(s_fullName);
        string display = type.ToDisplayString();

        bool versionTolerant = false;
        foreach (KeyValuePair<string, TypedConstant> argument in context.Attributes[0].NamedArguments)
        {
            if (argument.Key == "VersionTolerant" && argument.Value.Value is bool b)
            {
                versionTolerant = b;
            }
        }

        bool canEmit = true;
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (!IsPartial(t, cancellationToken))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MustBePartial, location, t.ToDisplayString()));
                canEmit = false;
                break;
            }
        }

        if (type.IsGenericType || (type.ContainingType?.IsGenericType ?? false))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNotSupported, location, display));
            canEmit = false;
        }

        if (!IsAccessibleFromAssembly(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAccessible, location, display));
            canEmit = false;
        }

        if (type.IsAbstract)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoConstructor, location, display));
            canEmit = false;
        }

        bool isRawStruct = type.IsValueType && type.IsUnmanagedType && !versionTolerant;
        var registrations = new List<RegistrationModel>();
        var members = new List<MemberModel>();
        var constructorArguments = new List<string>();
        var probe = new List<string>();
        bool canProbe = true;
        bool canOverwrite = false;
        int slotCount = 0;

        if (canEmit && isRawStruct)
        {
            canProbe = BuildProbe(type, probe);
        }
        else if (canEmit)
        {
            canEmit = BuildMembers(type, versionTolerant, location, display, diagnostics, registrations, members, constructorArguments, out canOverwrite, out slotCount, cancellationToken);
        }

        var containing = new List<ContainingTypeModel>();
        for (INamedTypeSymbol? t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            containing.Insert(0, new ContainingTypeModel(Keyword(t), t.Name));
        }

        string? ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        string hint = fullName.Replace("global::", string.Empty).Replace('<', '[').Replace('>', ']') + ".FastMessage.g.cs";

        return new TypeModel(
            ns,
            type.Name,
            fullName,
            hint,
            Keyword(type),
            new EquatableArray<ContainingTypeModel>(containing.ToArray()),
            type.IsValueType,
            isRawStruct,
            versionTolerant,
            new EquatableArray<MemberModel>(members.ToArray()),
            slotCount,
            new EquatableArray<string>(constructorArguments.ToArray()),
            canOverwrite,
            new EquatableArray<string>(probe.ToArray()),
            canProbe,
            new EquatableArray<RegistrationModel>(registrations.Distinct().ToArray()),
            new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()),
            canEmit);
    }

    public static UnionModel BuildUnion(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();
        Location? location = context.TargetNode is BaseTypeDeclarationSyntax declaration ? declaration.Identifier.GetLocation() : context.TargetNode.GetLocation();
        string display = type.ToDisplayString();
        string fullName = type.ToDisplayString(s_fullName);
        bool canEmit = true;

        if (!(type.TypeKind == TypeKind.Interface || (type.TypeKind == TypeKind.Class && type.IsAbstract)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidUnionType, location, display));
            canEmit = false;
        }

        if (type.IsGenericType || (type.ContainingType?.IsGenericType ?? false))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNotSupported, location, display));
            canEmit = false;
        }

        if (!IsAccessibleFromAssembly(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAccessible, location, display));
            canEmit = false;
        }

        var cases = new List<UnionCaseModel>();
        var seen = new HashSet<int>();
        foreach (AttributeData attribute in context.Attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.ConstructorArguments.Length != 2 || attribute.ConstructorArguments[1].Value is not INamedTypeSymbol caseType)
            {
                continue;
            }

            int tag = Convert.ToInt32(attribute.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture);
            Location? attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? location;
            if (!seen.Add(tag))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateUnionTag, attributeLocation, display, tag.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                canEmit = false;
                continue;
            }

            if (!IsSubtype(caseType, type))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnionCaseNotDerived, attributeLocation, display, caseType.ToDisplayString()));
                canEmit = false;
                continue;
            }

            cases.Add(new UnionCaseModel(tag, caseType.ToDisplayString(s_fullName)));
        }

        string? ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        string hint = fullName.Replace("global::", string.Empty) + ".FastUnion.g.cs";
        return new UnionModel(ns, type.Name, fullName, hint, new EquatableArray<UnionCaseModel>(cases.ToArray()), new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()), canEmit);
    }

    private static bool BuildMembers(
        INamedTypeSymbol type,
        bool versionTolerant,
        Location? location,
        string display,
        List<DiagnosticInfo> diagnostics,
        List<RegistrationModel> registrations,
        List<MemberModel> members,
        List<string> constructorArguments,
        out bool canOverwrite,
        out int slotCount,
        CancellationToken cancellationToken)
    {
        canOverwrite = false;
        slotCount = 0;

        // Candidates: public instance fields and readable properties, base types first, in declaration order.
        var chain = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? t = type; t is not null && t.SpecialType is not SpecialType.System_Object and not SpecialType.System_ValueType; t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var candidates = new List<(ISymbol Symbol, ITypeSymbol Type, SetterKind Setter)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (INamedTypeSymbol t in chain)
        {
            foreach (ISymbol member in t.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member.IsStatic || member.IsImplicitlyDeclared || member.DeclaredAccessibility != Accessibility.Public || HasAttribute(member, FastIgnoreAttribute))
                {
                    continue;
                }

                if (member is IFieldSymbol field && !field.IsConst)
                {
                    if (names.Add(field.Name))
                    {
                        candidates.Add((field, field.Type, field.IsReadOnly ? SetterKind.Constructor : SetterKind.Settable));
                    }
                }
                else if (member is IPropertySymbol property && !property.IsIndexer && property.GetMethod is not null
                    && property.GetMethod.DeclaredAccessibility == Accessibility.Public)
                {
                    if (!names.Add(property.Name))
                    {
                        continue;
                    }

                    SetterKind setter = property.SetMethod is null
                        || (property.SetMethod.DeclaredAccessibility == Accessibility.Private && !SymbolEqualityComparer.Default.Equals(t, type))
                        ? SetterKind.Constructor
                        : property.SetMethod.IsInitOnly ? SetterKind.Init : SetterKind.Settable;
                    candidates.Add((property, property.Type, setter));
                }
            }
        }

        // The constructor: the one with most parameters that all match members (a parameterless one counts).
        IMethodSymbol? constructor = null;
        foreach (IMethodSymbol candidate in type.InstanceConstructors)
        {
            if (candidate.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(candidate.Parameters[0].Type, type))
            {
                continue;
            }

            bool allMatch = candidate.Parameters.All(p => candidates.Any(c =>
                string.Equals(c.Symbol.Name, p.Name, StringComparison.OrdinalIgnoreCase) && SymbolEqualityComparer.Default.Equals(c.Type, p.Type)));
            if (allMatch && (constructor is null || candidate.Parameters.Length > constructor.Parameters.Length))
            {
                constructor = candidate;
            }
        }

        if (constructor is null && !type.IsValueType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoConstructor, location, display));
            return false;
        }

        var constructorMembers = new HashSet<string>(StringComparer.Ordinal);
        if (constructor is not null)
        {
            foreach (IParameterSymbol parameter in constructor.Parameters)
            {
                string name = candidates.First(c => string.Equals(c.Symbol.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)).Symbol.Name;
                constructorMembers.Add(name);
                constructorArguments.Add(Escape(name));
            }
        }

        bool ok = true;
        bool anyOrder = false;
        bool allOrder = true;
        var ordered = new List<(ISymbol Symbol, ITypeSymbol Type, SetterKind Setter, int Order)>();
        foreach ((ISymbol symbol, ITypeSymbol memberType, SetterKind setter) in candidates)
        {
            if (setter == SetterKind.Constructor && !constructorMembers.Contains(symbol.Name))
            {
                // Nothing can assign it when reading, so it is not part of the serialized form.
                continue;
            }

            int? order = GetOrder(symbol);
            anyOrder |= order.HasValue;
            allOrder &= order.HasValue;
            ordered.Add((symbol, memberType, constructorMembers.Contains(symbol.Name) ? SetterKind.Constructor : setter, order ?? ordered.Count));
        }

        if (versionTolerant && !allOrder)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOrder, location, display, "every member of a VersionTolerant type needs [FastOrder]"));
            return false;
        }

        if (anyOrder && !allOrder)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOrder, location, display, "[FastOrder] must be on every member or on none"));
            return false;
        }

        ordered.Sort((a, b) => a.Order.CompareTo(b.Order));
        for (int i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Order < 0 || (i > 0 && ordered[i].Order == ordered[i - 1].Order))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOrder, location, display, $"order {ordered[i].Order} is negative or used twice"));
                return false;
            }

            if (!versionTolerant && ordered[i].Order != i)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOrder, location, display, "orders must run 0, 1, 2, ... without gaps unless the type is VersionTolerant"));
                return false;
            }
        }

        slotCount = ordered.Count == 0 ? 0 : ordered[ordered.Count - 1].Order + 1;
        if (slotCount > MaxMembers)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooManyMembers, location, display, slotCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return false;
        }

        canOverwrite = !type.IsValueType && (constructor is null || constructor.Parameters.Length == 0);
        foreach ((ISymbol symbol, ITypeSymbol memberType, SetterKind setter, int order) in ordered)
        {
            if (setter != SetterKind.Settable)
            {
                canOverwrite = false;
            }

            bool custom = HasAttribute(symbol, FastCustomFormatterAttribute);
            if (!Classify(memberType, custom, registrations, out MemberKind kind, out string? size, out string? element))
            {
                Location? memberLocation = symbol.Locations.FirstOrDefault() ?? location;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMemberType, memberLocation, symbol.Name, display, memberType.ToDisplayString()));
                ok = false;
                continue;
            }

            members.Add(new MemberModel(Escape(symbol.Name), memberType.ToDisplayString(s_fullName), element, kind, size, order, setter));
        }

        return ok;
    }

    private static bool BuildProbe(INamedTypeSymbol type, List<string> probe)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is not IFieldSymbol field || field.IsStatic || field.IsConst)
            {
                continue;
            }

            if (field.IsFixedSizeBuffer)
            {
                return false;
            }

            string typeName = field.Type.ToDisplayString(s_fullName);
            if (field.AssociatedSymbol is IPropertySymbol property)
            {
                if (property.SetMethod is null)
                {
                    return false;
                }

                probe.Add(property.SetMethod.IsInitOnly
                    ? $"probe = probe with {{ {Escape(property.Name)} = global::FastAgents.Serialization.FastStructLayout.Ones<{typeName}>() }};"
                    : $"probe.{Escape(property.Name)} = global::FastAgents.Serialization.FastStructLayout.Ones<{typeName}>();");
            }
            else if (field.IsImplicitlyDeclared)
            {
                return false;
            }
            else
            {
                probe.Add($"global::FastAgents.Serialization.FastStructLayout.Fill(ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in probe.{Escape(field.Name)}));");
            }
        }

        return true;
    }

    private static bool Classify(ITypeSymbol type, bool custom, List<RegistrationModel> registrations, out MemberKind kind, out string? size, out string? element)
    {
        size = null;
        element = null;
        kind = MemberKind.Value;
        if (type.SpecialType == SpecialType.System_String)
        {
            kind = MemberKind.String;
            return true;
        }

        if (IsRaw(type, out size))
        {
            kind = MemberKind.Raw;
            return true;
        }

        if (custom)
        {
            return true;
        }

        return IsSupported(type, registrations, out kind, out element);
    }

    private static bool IsSupported(ITypeSymbol type, List<RegistrationModel> registrations, out MemberKind kind, out string? element)
    {
        kind = MemberKind.Value;
        element = null;
        string name = type.ToDisplayString(s_fullName);
        if (type.SpecialType == SpecialType.System_String || IsRaw(type, out _))
        {
            return true;
        }

        if (type is IArrayTypeSymbol array)
        {
            if (!array.IsSZArray)
            {
                return false;
            }

            string elementName = array.ElementType.ToDisplayString(s_fullName);
            if (IsRaw(array.ElementType, out _))
            {
                kind = MemberKind.UnmanagedArray;
                element = elementName;
                registrations.Add(new RegistrationModel(name, $"{FormattersNamespace}UnmanagedArrayFormatter<{elementName}>"));
                return true;
            }

            registrations.Add(new RegistrationModel(name, $"{FormattersNamespace}ArrayFormatter<{elementName}>"));
            return IsSupported(array.ElementType, registrations, out _, out _);
        }

        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        if (named.IsGenericType)
        {
            string definition = named.OriginalDefinition.ToDisplayString();
            string args = string.Join(", ", named.TypeArguments.Select(a => a.ToDisplayString(s_fullName)));
            string? formatter = definition switch
            {
                "System.Collections.Generic.List<T>" => "ListFormatter",
                "System.Collections.Generic.Dictionary<TKey, TValue>" => "DictionaryFormatter",
                "T?" or "System.Nullable<T>" => "NullableFormatter",
                "(T1, T2)" or "System.ValueTuple<T1, T2>" => "ValueTupleFormatter",
                "(T1, T2, T3)" or "System.ValueTuple<T1, T2, T3>" => "ValueTupleFormatter",
                "(T1, T2, T3, T4)" or "System.ValueTuple<T1, T2, T3, T4>" => "ValueTupleFormatter",
                _ => null,
            };
            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                formatter = "NullableFormatter";
            }

            if (formatter is not null)
            {
                registrations.Add(new RegistrationModel(name, $"{FormattersNamespace}{formatter}<{args}>"));
                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    if (!IsSupported(argument, registrations, out _, out _))
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        if (HasAttribute(named, FastMessageAttribute) || HasAttribute(named, FastUnionAttribute))
        {
            return true;
        }

        return named.TypeKind is TypeKind.Struct or TypeKind.Enum && named.IsUnmanagedType && !named.IsRefLikeType;
    }

    private static bool IsRaw(ITypeSymbol type, out string? size)
    {
        size = null;
        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol { EnumUnderlyingType: { } underlying })
        {
            return IsRaw(underlying, out size);
        }

        size = type.SpecialType switch
        {
            SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte => "1",
            SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_UInt16 => "2",
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => "4",
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => "8",
            SpecialType.System_Decimal => "16",
            SpecialType.System_IntPtr or SpecialType.System_UIntPtr => $"global::System.Runtime.CompilerServices.Unsafe.SizeOf<{type.ToDisplayString(s_fullName)}>()",
            _ => null,
        };
        if (size is not null)
        {
            return true;
        }

        if (type.TypeKind == TypeKind.Struct && s_rawStructs.Contains(type.ToDisplayString()))
        {
            size = $"global::System.Runtime.CompilerServices.Unsafe.SizeOf<{type.ToDisplayString(s_fullName)}>()";
            return true;
        }

        return false;
    }

    private static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static int? GetOrder(ISymbol symbol)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == FastOrderAttribute && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int order)
            {
                return order;
            }
        }

        return null;
    }

    private static bool HasAttribute(ISymbol symbol, string attributeName)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == attributeName)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSubtype(INamedTypeSymbol candidate, INamedTypeSymbol baseType)
    {
        if (baseType.TypeKind == TypeKind.Interface)
        {
            return candidate.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, baseType));
        }

        for (INamedTypeSymbol? t = candidate.BaseType; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return type.DeclaringSyntaxReferences.Length > 0;
    }

    private static bool IsAccessibleFromAssembly(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, IsValueType: true } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };
}
