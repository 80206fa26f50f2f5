using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using FastAgents.Serialization.Formatters;

namespace FastAgents.Serialization.Internal;

/// <summary>Builds formatters for constructed types (arrays, collections, nullables, tuples) named at run time.</summary>
internal static class BuiltInFormatters
{
    [RequiresDynamicCode("Constructs generic formatter types at run time.")]
    [RequiresUnreferencedCode("Constructs generic formatter types at run time.")]
    public static object? CreateGeneric(Type type)
    {
        Type? formatterType = null;
        if (type.IsSZArray)
        {
            Type element = type.GetElementType()!;
            formatterType = IsRawCopy(element)
                ? typeof(UnmanagedArrayFormatter<>).MakeGenericType(element)
                : typeof(ArrayFormatter<>).MakeGenericType(element);
        }
        else if (type.IsGenericType)
        {
            Type definition = type.GetGenericTypeDefinition();
            Type[] args = type.GetGenericArguments();
            if (definition == typeof(List<>))
            {
                formatterType = typeof(ListFormatter<>).MakeGenericType(args);
            }
            else if (definition == typeof(Dictionary<,>))
            {
                formatterType = typeof(DictionaryFormatter<,>).MakeGenericType(args);
            }
            else if (definition == typeof(Nullable<>))
            {
                formatterType = typeof(NullableFormatter<>).MakeGenericType(args);
            }
            else if (definition == typeof(ValueTuple<,>))
            {
                formatterType = typeof(ValueTupleFormatter<,>).MakeGenericType(args);
            }
            else if (definition == typeof(ValueTuple<,,>))
            {
                formatterType = typeof(ValueTupleFormatter<,,>).MakeGenericType(args);
            }
            else if (definition == typeof(ValueTuple<,,,>))
            {
                formatterType = typeof(ValueTupleFormatter<,,,>).MakeGenericType(args);
            }
            else if (!IsReferenceOrContainsReferences(type))
            {
                formatterType = typeof(UnmanagedFormatter<>).MakeGenericType(type);
            }
        }

        return formatterType is null ? null : Activator.CreateInstance(formatterType);
    }

    [RequiresDynamicCode("Constructs a generic method at run time.")]
    private static bool IsRawCopy(Type type) =>
        (bool)typeof(BuiltInFormatters).GetMethod(nameof(IsRawCopyOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, null)!;

    [RequiresDynamicCode("Constructs a generic method at run time.")]
    private static bool IsReferenceOrContainsReferences(Type type) =>
        (bool)typeof(BuiltInFormatters).GetMethod(nameof(ContainsReferences), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, null)!;

    private static bool IsRawCopyOf<T>() => FormatterCache<T>.IsRawCopy;

    private static bool ContainsReferences<T>() => RuntimeHelpers.IsReferenceOrContainsReferences<T>();
}
