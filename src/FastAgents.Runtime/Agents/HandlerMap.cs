using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastAgents.Serialization;

namespace FastAgents.Runtime;

/// <summary>An agent's handlers, by payload type id. Built in <see cref="Agent.Configure"/>.</summary>
public sealed class HandlerMap
{
    private uint[] _types = [];
    private MessageInvoker[] _invokers = [];

    internal HandlerMap()
    {
    }

    /// <summary>Number of message types handled.</summary>
    public int Count => _types.Length;

    /// <summary>Routes messages of type <typeparamref name="TMessage"/> to <paramref name="handler"/>.</summary>
    /// <returns>This map, to chain calls.</returns>
    /// <exception cref="InvalidOperationException">A handler for <typeparamref name="TMessage"/> is already listed.</exception>
    public HandlerMap Add<TMessage>(IHandle<TMessage> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        uint id = MessageType<TMessage>.Id;
        if (Array.IndexOf(_types, id) >= 0)
        {
            throw new InvalidOperationException($"{typeof(TMessage).Name} already has a handler.");
        }

        _types = [.. _types, id];
        _invokers = [.. _invokers, new MessageInvoker<TMessage>(handler)];
        return this;
    }

    /// <summary>True when <typeparamref name="TMessage"/> has a handler.</summary>
    public bool Handles<TMessage>() => Array.IndexOf(_types, MessageType<TMessage>.Id) >= 0;

    internal MessageInvoker? Find(uint payloadType)
    {
        uint[] types = _types;
        for (int i = 0; i < types.Length; i++)
        {
            if (types[i] == payloadType)
            {
                return _invokers[i];
            }
        }

        return null;
    }
}

/// <summary>Reads a payload and calls the typed handler; one per (agent, message type).</summary>
internal abstract class MessageInvoker
{
    public abstract void Invoke(ReadOnlySpan<byte> payload, AgentContext context);
}

internal sealed class MessageInvoker<TMessage>(IHandle<TMessage> handler) : MessageInvoker
{
    public override void Invoke(ReadOnlySpan<byte> payload, AgentContext context)
    {
        TMessage? message = default;
        if (FastSerializer.IsRawCopy<TMessage>())
        {
            if (payload.Length != Unsafe.SizeOf<TMessage>())
            {
                throw new MalformedPayloadException($"A {typeof(TMessage).Name} is {Unsafe.SizeOf<TMessage>()} bytes; the payload has {payload.Length}.");
            }

            message = Unsafe.ReadUnaligned<TMessage>(ref MemoryMarshal.GetReference(payload));
        }
        else
        {
            int consumed;
            try
            {
                consumed = FastSerializer.Deserialize(payload, ref message);
            }
            catch (FastSerializationException ex)
            {
                throw new MalformedPayloadException($"The payload is not a valid {typeof(TMessage).Name}: {ex.Message}", ex);
            }

            if (consumed != payload.Length)
            {
                throw new MalformedPayloadException($"A {typeof(TMessage).Name} took {consumed} bytes of a {payload.Length}-byte payload.");
            }
        }

        handler.Handle(in message!, context);
    }
}

/// <summary>A payload its handler's message type cannot read: the message is dead-lettered, not blamed on the agent.</summary>
internal sealed class MalformedPayloadException(string message, Exception? inner = null) : Exception(message, inner);
