using System.Runtime.CompilerServices;

namespace FastAgents.Rings;

/// <summary>
/// What a consumer waits on: the producer cursor, or the slowest of the consumers it runs after.
/// A struct so that reading it costs one or a few loads, with no interface call.
/// </summary>
public readonly struct DependentSequences
{
    private readonly Sequence _single;
    private readonly Sequence[]? _many;

    internal DependentSequences(Sequence cursor, Sequence[] upstream)
    {
        switch (upstream.Length)
        {
            case 0:
                _single = cursor;
                break;
            case 1:
                _single = upstream[0];
                break;
            default:
                _single = upstream[0];
                _many = (Sequence[])upstream.Clone();
                break;
        }
    }

    /// <summary>The highest sequence every dependency has reached (acquire loads).</summary>
    public long Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _many is null ? _single.Value : Sequence.GetMinimum(_many);
    }
}
