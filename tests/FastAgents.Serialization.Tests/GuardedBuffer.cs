using System.Runtime.InteropServices;

namespace FastAgents.Serialization.Tests;

/// <summary>
/// Places input at the very end of a readable page followed by an inaccessible page, so a read past the end of
/// the input crashes the test process instead of passing unnoticed (Linux only).
/// </summary>
internal sealed unsafe partial class GuardedBuffer : IDisposable
{
    private const int ProtNone = 0;
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;
    private const int PageSize = 4096;
    private const int Pages = 4;

    private readonly byte* _base;

    public GuardedBuffer()
    {
        _base = (byte*)Mmap(0, PageSize * Pages, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if ((nint)_base == -1)
        {
            throw new InvalidOperationException("mmap failed");
        }

        if (Mprotect((nint)(_base + (PageSize * (Pages - 1))), PageSize, ProtNone) != 0)
        {
            throw new InvalidOperationException("mprotect failed");
        }
    }

    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64 && Environment.SystemPageSize == PageSize;

    /// <summary>Copies <paramref name="input"/> so that its last byte is the last readable byte.</summary>
    public ReadOnlySpan<byte> Place(ReadOnlySpan<byte> input)
    {
        if (input.Length > PageSize * (Pages - 1))
        {
            throw new ArgumentException("input too large", nameof(input));
        }

        byte* start = _base + (PageSize * (Pages - 1)) - input.Length;
        var span = new Span<byte>(start, input.Length);
        input.CopyTo(span);
        return span;
    }

    public void Dispose() => Munmap((nint)_base, PageSize * Pages);

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
