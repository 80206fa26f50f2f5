using System.Buffers;

namespace FastAgents.Serialization;

/// <summary>
/// Writes and reads one type. The source generator emits one per <see cref="FastMessageAttribute"/> type;
/// hand-written ones are registered with <see cref="FastFormatterProvider.Register{T}(FastFormatter{T})"/>.
/// </summary>
/// <typeparam name="T">The type handled.</typeparam>
public abstract class FastFormatter<T>
{
    /// <summary>Writes <paramref name="value"/> (which may be null for reference types).</summary>
    public abstract void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in T? value)
        where TBufferWriter : IBufferWriter<byte>;

    /// <summary>
    /// Reads a value into <paramref name="value"/>. When <paramref name="value"/> already holds an instance the
    /// formatter may overwrite it in place instead of allocating.
    /// </summary>
    public abstract void Deserialize(ref FastMessageReader reader, scoped ref T? value);
}
