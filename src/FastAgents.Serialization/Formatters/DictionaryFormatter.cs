namespace FastAgents.Serialization.Formatters;

/// <summary>
/// <see cref="Dictionary{TKey, TValue}"/>: <c>[count : int32][(key, value) × count]</c>, null as -1.
/// A null or repeated key is malformed input.
/// </summary>
public sealed class DictionaryFormatter<TKey, TValue> : FastFormatter<Dictionary<TKey, TValue>>
    where TKey : notnull
{
    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in Dictionary<TKey, TValue>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        writer.WriteCollectionHeader(value.Count);
        foreach (KeyValuePair<TKey, TValue> pair in value)
        {
            writer.WriteValue(pair.Key);
            writer.WriteValue(pair.Value);
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref FastMessageReader reader, scoped ref Dictionary<TKey, TValue>? value)
    {
        // A pair takes at least two bytes.
        if (!reader.TryReadCollectionHeader(out int length, 2))
        {
            value = null;
            return;
        }

        if (value is null)
        {
            value = new Dictionary<TKey, TValue>(length);
        }
        else
        {
            value.Clear();
        }

        for (int i = 0; i < length; i++)
        {
            int offset = reader.Consumed;
            TKey? key = default;
            reader.ReadValue(ref key);
            TValue? item = default;
            reader.ReadValue(ref item);
            if (key is null)
            {
                Internal.ThrowHelper.ThrowNullDictionaryKey(offset);
            }

            if (!value.TryAdd(key, item!))
            {
                Internal.ThrowHelper.ThrowDuplicateDictionaryKey(offset);
            }
        }
    }
}
