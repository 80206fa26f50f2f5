namespace FastAgents.Serialization.Formatters;

/// <summary>Arrays: <c>[length : int32][element × length]</c>, null as -1.</summary>
public sealed class ArrayFormatter<T> : FastFormatter<T[]>
{
    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in T[]? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        writer.WriteCollectionHeader(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            writer.WriteValue(in value[i]);
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref FastMessageReader reader, scoped ref T[]? value)
    {
        // Every element takes at least one byte, which bounds the allocation by the input left.
        if (!reader.TryReadCollectionHeader(out int length))
        {
            value = null;
            return;
        }

        if (length == 0)
        {
            value = [];
            return;
        }

        if (value is null || value.Length != length)
        {
            value = new T[length];
        }

        for (int i = 0; i < length; i++)
        {
            reader.ReadValue(ref value[i]!);
        }
    }
}
