using System.Runtime.CompilerServices;

namespace FastAgents.Cli.Load;

/// <summary>Filler blocks of a <see cref="PaddedMessage{TPad}"/>: each makes the message a power of two from 16 to 4096 bytes.</summary>
internal static class Padding
{
    [InlineArray(8)]
    public struct Bytes8
    {
        private byte _element;
    }

    [InlineArray(24)]
    public struct Bytes24
    {
        private byte _element;
    }

    [InlineArray(56)]
    public struct Bytes56
    {
        private byte _element;
    }

    [InlineArray(120)]
    public struct Bytes120
    {
        private byte _element;
    }

    [InlineArray(248)]
    public struct Bytes248
    {
        private byte _element;
    }

    [InlineArray(504)]
    public struct Bytes504
    {
        private byte _element;
    }

    [InlineArray(1016)]
    public struct Bytes1016
    {
        private byte _element;
    }

    [InlineArray(2040)]
    public struct Bytes2040
    {
        private byte _element;
    }

    [InlineArray(4088)]
    public struct Bytes4088
    {
        private byte _element;
    }
}
