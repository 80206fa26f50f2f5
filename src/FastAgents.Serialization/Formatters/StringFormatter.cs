namespace FastAgents.Serialization.Formatters;

/// <summary>Strings in the UTF-8 or UTF-16 form (see <see cref="FastStringEncoding"/>).</summary>
public sealed class StringFormatter : FastFormatter<string>
{
    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in string? value) =>
        writer.WriteString(value);

    /// <inheritdoc/>
    public override void Deserialize(ref FastMessageReader reader, scoped ref string? value) =>
        reader.ReadString(ref value);
}
