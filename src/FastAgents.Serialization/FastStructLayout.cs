using System.Runtime.CompilerServices;

namespace FastAgents.Serialization;

/// <summary>
/// Helpers the generated formatters of unmanaged <see cref="FastMessageAttribute"/> structs use to find the
/// struct's padding once (by setting every field to all-ones bytes and seeing which bytes stay zero) and to
/// clear it after the raw copy, so padding is always written as zero.
/// </summary>
public static class FastStructLayout
{
    /// <summary>Returns a <typeparamref name="T"/> whose every byte is 0xFF.</summary>
    public static T Ones<T>()
        where T : unmanaged
    {
        T value = default;
        Unsafe.InitBlockUnaligned(ref Unsafe.As<T, byte>(ref value), 0xFF, (uint)Unsafe.SizeOf<T>());
        return value;
    }

    /// <summary>Sets every byte of <paramref name="field"/> to 0xFF.</summary>
    public static void Fill<T>(ref T field)
        where T : unmanaged =>
        Unsafe.InitBlockUnaligned(ref Unsafe.As<T, byte>(ref field), 0xFF, (uint)Unsafe.SizeOf<T>());

    /// <summary>
    /// Given a probe whose every field was filled, returns the padding as (offset, length) pairs, or null when
    /// the struct has no padding.
    /// </summary>
    public static int[]? FindPadding<T>(scoped in T probe)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        ref byte bytes = ref Unsafe.As<T, byte>(ref Unsafe.AsRef(in probe));
        var ranges = new List<int>();
        for (int i = 0; i < size; i++)
        {
            if (Unsafe.Add(ref bytes, i) != 0)
            {
                continue;
            }

            int start = i;
            while (i + 1 < size && Unsafe.Add(ref bytes, i + 1) == 0)
            {
                i++;
            }

            ranges.Add(start);
            ranges.Add(i - start + 1);
        }

        return ranges.Count == 0 ? null : ranges.ToArray();
    }

    /// <summary>Clears the padding (from <see cref="FindPadding{T}"/>) of a struct just copied to <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClearPadding(ref byte destination, int[] padding)
    {
        ArgumentNullException.ThrowIfNull(padding);
        for (int i = 0; i + 1 < padding.Length; i += 2)
        {
            Unsafe.InitBlockUnaligned(ref Unsafe.Add(ref destination, padding[i]), 0, (uint)padding[i + 1]);
        }
    }
}
