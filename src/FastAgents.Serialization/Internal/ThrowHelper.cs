using System.Diagnostics.CodeAnalysis;

namespace FastAgents.Serialization.Internal;

/// <summary>Throw sites kept out of the read and write paths so those stay small enough to inline.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowTruncated(int offset, long needed, int remaining) =>
        throw new FastSerializationException($"Truncated input at offset {offset}: needed {needed} bytes, {remaining} left.");

    [DoesNotReturn]
    public static void ThrowInvalidLength(int offset, long length, string what) =>
        throw new FastSerializationException($"Invalid {what} length {length} at offset {offset}.");

    [DoesNotReturn]
    public static void ThrowLengthExceedsInput(int offset, long length, long minBytes, int remaining, string what) =>
        throw new FastSerializationException($"The {what} length {length} at offset {offset} needs at least {minBytes} bytes, but only {remaining} are left.");

    [DoesNotReturn]
    public static void ThrowInvalidUtf8(int offset) =>
        throw new FastSerializationException($"Invalid UTF-8 in the string at offset {offset}.");

    [DoesNotReturn]
    public static void ThrowStringLengthMismatch(int offset, int declared, int actual) =>
        throw new FastSerializationException($"The string at offset {offset} declares {declared} UTF-16 code units but decodes to {actual}.");

    [DoesNotReturn]
    public static void ThrowReservedHeader(int offset, byte code) =>
        throw new FastSerializationException($"Reserved object header {code} at offset {offset} (250-254 are reserved).");

    [DoesNotReturn]
    public static void ThrowTooManyMembers(int offset, int count, int max, Type type) =>
        throw new FastSerializationException($"The object at offset {offset} has {count} members but {type} has {max}.");

    [DoesNotReturn]
    public static void ThrowInvalidMemberCount(int offset, int count, int expected, Type type) =>
        throw new FastSerializationException($"The value at offset {offset} has member count {count}; {type} expects {expected}.");

    [DoesNotReturn]
    public static void ThrowUnknownUnionTag(int offset, int tag, Type type) =>
        throw new FastSerializationException($"Unknown union tag {tag} at offset {offset} for {type}.");

    [DoesNotReturn]
    public static void ThrowUnionCaseNotRegistered(Type actual, Type union) =>
        throw new FastSerializationException($"{actual} is not a case of the union {union}.");

    [DoesNotReturn]
    public static void ThrowInvalidVarInt(int offset, long value) =>
        throw new FastSerializationException($"The varint at offset {offset} ({value}) is out of range.");

    [DoesNotReturn]
    public static void ThrowMemberLengthMismatch(int offset, int member, int declared, int actual, Type type) =>
        throw new FastSerializationException($"Member {member} of {type} at offset {offset} declares {declared} bytes but its value took {actual}.");

    [DoesNotReturn]
    public static void ThrowDepthExceeded(int offset, int max) =>
        throw new FastSerializationException($"Nesting deeper than {max} levels at offset {offset} (a cycle in the object graph, or malicious input).");

    [DoesNotReturn]
    public static void ThrowNullDictionaryKey(int offset) =>
        throw new FastSerializationException($"Null dictionary key at offset {offset}.");

    [DoesNotReturn]
    public static void ThrowDuplicateDictionaryKey(int offset) =>
        throw new FastSerializationException($"Duplicate dictionary key at offset {offset}.");

    [DoesNotReturn]
    public static void ThrowTooManyMembersToWrite(int count) =>
        throw new FastSerializationException($"An object can have at most 249 members; got {count}.");

    [DoesNotReturn]
    public static void ThrowNoFormatter(Type type) => throw NoFormatter(type);

    public static FastSerializationException NoFormatter(Type type) =>
        new($"No formatter for {type}: mark it [FastMessage] or register one with FastFormatterProvider.Register.");

    [DoesNotReturn]
    public static void ThrowLittleEndianOnly() =>
        throw new PlatformNotSupportedException("The wire format is little-endian and this serializer copies memory directly; big-endian platforms are not supported.");
}
