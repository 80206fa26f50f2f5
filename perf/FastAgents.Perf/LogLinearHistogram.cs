using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastAgents.Perf;

/// <summary>
/// A latency histogram in fixed memory with bounded relative error (HDR-style): values are counted in
/// buckets that are linear within each power of two, so every recorded value is known to within
/// 1 part in <c>2^(SignificantBits - 1)</c> (about 0.1% with the default of 11 bits, three significant
/// digits) at any magnitude, from nanoseconds to hours.
/// </summary>
/// <remarks>
/// <para>
/// Layout: values below <c>2^SignificantBits</c> get one bucket each. Above, each power of two
/// <c>[2^k, 2^(k+1))</c> is split into <c>2^(SignificantBits - 1)</c> equal buckets; index =
/// <c>(shift + 1) * half + (value &gt;&gt; shift) - half</c> with <c>shift = k - SignificantBits + 1</c>.
/// Recording is an increment, with no allocation and no branch on magnitude beyond one leading-zero count.
/// </para>
/// <para>
/// Not thread-safe: give each recording thread its own histogram and <see cref="Add"/> them afterwards.
/// Percentiles are reported as the highest value equivalent to the bucket they fall in (never below the
/// true value), clamped to the recorded maximum; <see cref="Max"/> and <see cref="Min"/> are exact.
/// </para>
/// </remarks>
public sealed class LogLinearHistogram
{
    private readonly long[] _counts;
    private readonly int _significantBits;
    private readonly int _half;
    private readonly long _highestTrackable;

    /// <summary>Creates a histogram for values in <c>[0, highestTrackableValue]</c>; larger values are clamped (and counted).</summary>
    /// <param name="highestTrackableValue">The largest value kept at full precision (default: about 1.1 hours in nanoseconds).</param>
    /// <param name="significantBits">Bits of precision; 11 gives a relative error below 0.1%.</param>
    public LogLinearHistogram(long highestTrackableValue = 1L << 42, int significantBits = 11)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(significantBits, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(significantBits, 20);
        ArgumentOutOfRangeException.ThrowIfLessThan(highestTrackableValue, 2L << significantBits);
        _significantBits = significantBits;
        _half = 1 << (significantBits - 1);
        _highestTrackable = highestTrackableValue;
        _counts = new long[IndexOf(highestTrackableValue) + 1];
        Min = long.MaxValue;
    }

    /// <summary>Number of values recorded.</summary>
    public long TotalCount { get; private set; }

    /// <summary>Smallest value recorded (exact), or <see cref="long.MaxValue"/> when empty.</summary>
    public long Min { get; private set; }

    /// <summary>Largest value recorded (exact), or 0 when empty.</summary>
    public long Max { get; private set; }

    /// <summary>Number of values above the trackable range, counted in the top bucket.</summary>
    public long ClampedCount { get; private set; }

    /// <summary>Exact sum of recorded values (after clamping), for the mean.</summary>
    public double Sum { get; private set; }

    /// <summary>Mean of recorded values, or 0 when empty.</summary>
    public double Mean => TotalCount == 0 ? 0 : Sum / TotalCount;

    /// <summary>Relative precision of any reported value: <c>1 / 2^(significantBits - 1)</c>.</summary>
    public double RelativeError => 1.0 / _half;

    /// <summary>Records one value (negative values count as 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(long value) => Record(value, 1);

    /// <summary>Records <paramref name="count"/> occurrences of <paramref name="value"/>.</summary>
    public void Record(long value, long count)
    {
        if (count <= 0)
        {
            return;
        }

        if (value < 0)
        {
            value = 0;
        }

        if (value > _highestTrackable)
        {
            ClampedCount += count;
            if (value > Max)
            {
                Max = value;
            }

            value = _highestTrackable;
        }
        else if (value > Max)
        {
            Max = value;
        }

        if (value < Min)
        {
            Min = value;
        }

        _counts[IndexOf(value)] += count;
        TotalCount += count;
        Sum += (double)value * count;
    }

    /// <summary>Adds every count of <paramref name="other"/> (same configuration) to this histogram.</summary>
    public void Add(LogLinearHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._significantBits != _significantBits || other._counts.Length != _counts.Length)
        {
            throw new ArgumentException("Histograms must have the same range and precision to be added.", nameof(other));
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        TotalCount += other.TotalCount;
        ClampedCount += other.ClampedCount;
        Sum += other.Sum;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    /// <summary>Forgets every recorded value.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        TotalCount = 0;
        ClampedCount = 0;
        Sum = 0;
        Max = 0;
        Min = long.MaxValue;
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0 to 100): the smallest recorded value such that at least
    /// that share of all values are less than or equal to it, reported at bucket precision.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100.0);
        if (TotalCount == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * TotalCount));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Clamp(HighestEquivalentValue(i), Min, Max);
            }
        }

        return Max;
    }

    /// <summary>Every non-empty bucket in ascending order, as (highest equivalent value, count) pairs.</summary>
    public IEnumerable<(long Value, long Count)> Buckets()
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] != 0)
            {
                yield return (Math.Min(HighestEquivalentValue(i), Max), _counts[i]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int IndexOf(long value)
    {
        int magnitude = 63 - BitOperations.LeadingZeroCount((ulong)value | 1UL);
        int shift = magnitude - _significantBits + 1;
        if (shift <= 0)
        {
            return (int)value;
        }

        return ((shift + 1) * _half) + (int)(value >> shift) - _half;
    }

    private long HighestEquivalentValue(int index)
    {
        if (index < 2 * _half)
        {
            return index;
        }

        int shift = (index / _half) - 1;
        long sub = (index % _half) + _half;
        return (sub << shift) + (1L << shift) - 1;
    }
}
