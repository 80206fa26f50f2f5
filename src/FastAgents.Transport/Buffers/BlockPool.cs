using System.Buffers;

namespace FastAgents.Transport.Buffers;

/// <summary>
/// A memory pool of fixed-size pinned blocks for pipes, that keeps every block it hands out once returned (up to
/// <see cref="MaxRetained"/>). <see cref="ArrayPool{T}.Shared"/> keeps only a few arrays of a size per core, so a
/// router queueing megabytes for a slow client drops and reallocates blocks on every cycle; this pool does not.
/// </summary>
internal sealed class BlockPool : MemoryPool<byte>
{
    /// <summary>Bytes per block.</summary>
    public const int BlockSize = 64 * 1024;

    private readonly Stack<Block> _free = new();
    private readonly Lock _lock = new();

    /// <summary>Creates a pool that keeps up to <paramref name="maxRetained"/> free blocks.</summary>
    public BlockPool(int maxRetained = 4096) => MaxRetained = maxRetained;

    /// <summary>The process-wide pool the transport's pipes share.</summary>
    public static new BlockPool Shared { get; } = new();

    /// <summary>Most free blocks kept; blocks returned beyond it are left to the collector.</summary>
    public int MaxRetained { get; }

    /// <inheritdoc/>
    public override int MaxBufferSize => BlockSize;

    /// <summary>Free blocks now.</summary>
    public int FreeCount
    {
        get
        {
            lock (_lock)
            {
                return _free.Count;
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">More than <see cref="BlockSize"/> bytes were asked for.</exception>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        Block? block = null;
        lock (_lock)
        {
            _free.TryPop(out block);
        }

        block ??= new Block(this);
        block.Rented = true;
        return block;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
    }

    private void Return(Block block)
    {
        lock (_lock)
        {
            if (_free.Count < MaxRetained)
            {
                _free.Push(block);
            }
        }
    }

    private sealed class Block(BlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public bool Rented;

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            // A block is returned once per rental; a second dispose would hand it out twice.
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}
