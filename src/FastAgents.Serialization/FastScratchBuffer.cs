using System.Buffers;

namespace FastAgents.Serialization;

/// <summary>
/// A pooled, growable buffer writer for values that must be measured before they are written
/// (version-tolerant objects write their member lengths first). Rent with <see cref="Rent"/>, give back
/// with <see cref="Return"/>.
/// </summary>
public sealed class FastScratchBuffer : IBufferWriter<byte>
{
    private const int PoolSize = 8;
    private const int InitialSize = 256;
    private const int MaxRetainedSize = 1 << 20;

    // Version-tolerant objects can nest, so each thread keeps a few buffers rather than one.
    [ThreadStatic]
    private static FastScratchBuffer?[]? s_pool;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _written;

    private FastScratchBuffer()
    {
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>Takes a cleared buffer from this thread's pool (or makes one).</summary>
    public static FastScratchBuffer Rent()
    {
        FastScratchBuffer?[]? pool = s_pool;
        if (pool is not null)
        {
            for (int i = 0; i < pool.Length; i++)
            {
                FastScratchBuffer? buffer = pool[i];
                if (buffer is not null)
                {
                    pool[i] = null;
                    return buffer;
                }
            }
        }

        return new FastScratchBuffer();
    }

    /// <summary>Clears <paramref name="buffer"/> and puts it back in this thread's pool.</summary>
    public static void Return(FastScratchBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        buffer._written = 0;
        if (buffer._buffer.Length > MaxRetainedSize)
        {
            // One huge object should not pin a huge buffer to the thread for good.
            ArrayPool<byte>.Shared.Return(buffer._buffer);
            buffer._buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }

        FastScratchBuffer?[] pool = s_pool ??= new FastScratchBuffer?[PoolSize];
        for (int i = 0; i < pool.Length; i++)
        {
            if (pool[i] is null)
            {
                pool[i] = buffer;
                return;
            }
        }
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        byte[] next = ArrayPool<byte>.Shared.Rent(checked(Math.Max(_buffer.Length * 2, _written + needed)));
        _buffer.AsSpan(0, _written).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
