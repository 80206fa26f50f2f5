namespace FastAgents.Serialization.Formatters;

/// <summary>Arrays of unmanaged values: <c>[length : int32][elements' memory]</c>, null as -1.</summary>
public sealed class UnmanagedArrayFormatter<T> : FastFormatter<T[]>
    where T : unmanaged
{
    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in T[]? value) =>
        writer.WriteUnmanagedArray(value);

    /// <inheritdoc/>
    public override void Deserialize(ref FastMessageReader reader, scoped ref T[]? value) =>
        reader.ReadUnmanagedArray(ref value);
}
