using System.Buffers;
using System.Runtime.CompilerServices;

namespace FastAgents.Serialization.Formatters;

/// <summary>
/// Writes a struct with no references as a raw copy of its memory (<c>sizeof(T)</c> bytes). Padding bytes
/// are copied from the value as they are; <see cref="FastMessageAttribute"/> structs clear them instead.
/// </summary>
public sealed class UnmanagedFormatter<T> : FastFormatter<T>
{
    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in T? value)
    {
        int size = Unsafe.SizeOf<T>();
        Unsafe.WriteUnaligned(ref writer.GetSpanReference(size), value);
        writer.Advance(size);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref FastMessageReader reader, scoped ref T? value)
    {
        int size = Unsafe.SizeOf<T>();
        value = Unsafe.ReadUnaligned<T>(ref reader.GetSpanReference(size));
        reader.Advance(size);
    }
}
