using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using FastAgents.Serialization.Formatters;

namespace FastAgents.Serialization.Internal;

/// <summary>
/// The per-type formatter slot. A static generic class gives each type its own field, so a lookup is one
/// static load with no dictionary and no lock.
/// </summary>
internal static class FormatterCache<T>
{
    /// <summary>
    /// True for types written as a plain copy of their memory with no padding to clear: primitives, enums
    /// and a few padding-free BCL structs. The JIT folds this per instantiation.
    /// </summary>
    public static readonly bool IsRawCopy = ComputeIsRawCopy();

    // Not readonly: a registration (generated module initializer or hand-written) replaces the built-in.
    internal static FastFormatter<T>? s_formatter = CreateBuiltIn();

    private static bool ComputeIsRawCopy()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return false;
        }

        Type t = typeof(T);
        return t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(Guid) || t == typeof(DateTime)
            || t == typeof(TimeSpan) || t == typeof(DateOnly) || t == typeof(TimeOnly) || t == typeof(Half)
            || t == typeof(Int128) || t == typeof(UInt128);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The generator registers every constructed formatter it uses; this fallback covers types only named at run time.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The generator registers every constructed formatter it uses; this fallback covers types only named at run time.")]
    private static FastFormatter<T>? CreateBuiltIn()
    {
        if (typeof(T) == typeof(string))
        {
            return (FastFormatter<T>)(object)new StringFormatter();
        }

        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>() && !typeof(T).IsGenericType)
        {
            return new UnmanagedFormatter<T>();
        }

        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return null;
        }

        return (FastFormatter<T>?)BuiltInFormatters.CreateGeneric(typeof(T));
    }
}
