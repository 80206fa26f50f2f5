using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastAgents.Rings.Internal;

namespace FastAgents.Rings;

/// <summary>
/// A ring of preallocated slots addressed by sequence and accessed by reference. The ring only stores; a
/// <see cref="Sequencer{TWait}"/> of the same size decides who may write and read which slot.
/// </summary>
/// <typeparam name="T">The slot type. A struct is stored inline: writing an event is writing its fields.</typeparam>
/// <remarks>
/// The slot array carries 128 bytes of unused slots before and after the live ones, so the first and
/// last live slots never share a cache line with a neighbouring heap object.
/// </remarks>
public sealed class RingBuffer<T>
{
    private readonly T[] _entries;
    private readonly int _mask;
    private readonly int _padding;

    /// <summary>Creates a ring of <paramref name="bufferSize"/> default-initialised slots.</summary>
    /// <param name="bufferSize">Number of slots: a power of two.</param>
    public RingBuffer(int bufferSize)
    {
        if (bufferSize < 1 || bufferSize > (1 << 30) || !BitOperations.IsPow2(bufferSize))
        {
            ThrowHelper.ThrowBufferSizeNotPowerOfTwo(bufferSize);
        }

        // A reference-type slot is a pointer; Unsafe.SizeOf reports that size for it.
        int elementSize = Math.Max(1, Unsafe.SizeOf<T>());
        _padding = (128 + elementSize - 1) / elementSize;
        _entries = new T[bufferSize + (2 * _padding)];
        _mask = bufferSize - 1;
    }

    /// <summary>Creates a ring whose slots are filled once, up front, by <paramref name="factory"/> (for class events).</summary>
    public RingBuffer(int bufferSize, Func<T> factory)
        : this(bufferSize)
    {
        ArgumentNullException.ThrowIfNull(factory);
        for (int i = 0; i < bufferSize; i++)
        {
            _entries[_padding + i] = factory();
        }
    }

    /// <summary>Number of slots.</summary>
    public int BufferSize => _mask + 1;

    /// <summary>The slot for <paramref name="sequence"/> (slot <c>sequence mod BufferSize</c>), by reference.</summary>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_entries), _padding + ((int)sequence & _mask));
    }
}
