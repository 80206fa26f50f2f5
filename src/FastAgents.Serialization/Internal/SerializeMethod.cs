using System.Buffers;

namespace FastAgents.Serialization.Internal;

/// <summary>A formatter's <see cref="FastFormatter{T}.Serialize{TBufferWriter}"/> bound to one buffer writer type.</summary>
internal delegate void SerializeMethod<T, TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in T? value)
    where TBufferWriter : IBufferWriter<byte>;
