using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastAgents.Serialization.Internal;

/// <summary>
/// Copies the leading ASCII chars of a string to bytes. Messages carry mostly short ASCII strings (names,
/// ids), where the general transcoders spend more time on set-up than on the data; this handles 16 chars
/// per step with two vector loads and one narrowing store.
/// </summary>
internal static class AsciiNarrow
{
    /// <summary>Narrows chars while they are ASCII; returns how many were copied (all of them when ASCII).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Copy(ref char source, ref byte destination, int length)
    {
        ref ushort src = ref Unsafe.As<char, ushort>(ref source);
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<ushort> nonAscii = Vector128.Create((ushort)0xFF80);
            for (; i + 16 <= length; i += 16)
            {
                Vector128<ushort> lo = Vector128.LoadUnsafe(ref src, (nuint)i);
                Vector128<ushort> hi = Vector128.LoadUnsafe(ref src, (nuint)(i + 8));
                if (((lo | hi) & nonAscii) != Vector128<ushort>.Zero)
                {
                    return CopyScalar(ref src, ref destination, i, length);
                }

                Vector128.Narrow(lo, hi).StoreUnsafe(ref destination, (nuint)i);
            }

            if (i + 8 <= length)
            {
                Vector128<ushort> lo = Vector128.LoadUnsafe(ref src, (nuint)i);
                if ((lo & nonAscii) != Vector128<ushort>.Zero)
                {
                    return CopyScalar(ref src, ref destination, i, length);
                }

                Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, i), Vector128.Narrow(lo, lo).AsUInt64().ToScalar());
                i += 8;
            }
        }

        return CopyScalar(ref src, ref destination, i, length);
    }

    private static int CopyScalar(ref ushort source, ref byte destination, int start, int length)
    {
        for (int i = start; i < length; i++)
        {
            ushort c = Unsafe.Add(ref source, i);
            if (c > 0x7F)
            {
                return i;
            }

            Unsafe.Add(ref destination, i) = (byte)c;
        }

        return length;
    }
}
