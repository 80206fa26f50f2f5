using System.Buffers;

namespace FastAgents.Serialization.Internal;

/// <summary>
/// The formatter's serialize method bound once per (value type, buffer writer type).
/// </summary>
/// <remarks>
/// Design: <see cref="FastFormatter{T}.Serialize{TBufferWriter}"/> is a generic virtual method, and each call
/// of one is resolved through a runtime lookup that costs more than the rest of writing a small message.
/// Binding it to a delegate resolves it once; the cache remembers which formatter it bound, so registering
/// a different formatter later rebinds.
/// </remarks>
internal static class SerializeCache<T, TBufferWriter>
    where TBufferWriter : IBufferWriter<byte>
{
    internal static Binding? s_binding;

    internal sealed class Binding(FastFormatter<T> formatter, SerializeMethod<T, TBufferWriter> method)
    {
        public readonly FastFormatter<T> Formatter = formatter;
        public readonly SerializeMethod<T, TBufferWriter> Method = method;
    }

    public static SerializeMethod<T, TBufferWriter> Bind(FastFormatter<T> formatter)
    {
        var binding = new Binding(formatter, formatter.Serialize<TBufferWriter>);
        s_binding = binding;
        return binding.Method;
    }
}
