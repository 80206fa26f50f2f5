using System.Diagnostics;
using System.Numerics;
using FastAgents.Perf.Load;
using Xunit;

namespace FastAgents.Perf.Tests;

public sealed class RateScheduleTests
{
    private static readonly long s_frequency = Stopwatch.Frequency;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(10_000)]
    [InlineData(999_983)]
    [InlineData(1_000_000)]
    public void OffsetTicks_ConstantIntegralRate_EqualsClosedFormExactly(long rate)
    {
        var schedule = RateSchedule.Constant(rate, TimeSpan.FromHours(1));
        var random = new Random(5);
        for (int n = 0; n < 100_000; n++)
        {
            long i = n < 1000 ? n : random.NextInt64(schedule.TotalCount);
            long expected = (long)(new BigInteger(i) * s_frequency / rate);
            Assert.Equal(expected, schedule.OffsetTicks(i));
        }
    }

    [Fact]
    public void OffsetTicks_ConstantIntegralRate_LastSendOfAnHourHasNoDrift()
    {
        var schedule = RateSchedule.Constant(1_000_000, TimeSpan.FromHours(1));
        long last = schedule.TotalCount - 1;

        Assert.Equal(3_600_000_000L, schedule.TotalCount);
        Assert.Equal((long)(new BigInteger(last) * s_frequency / 1_000_000), schedule.OffsetTicks(last));
        Assert.True(schedule.OffsetTicks(last) < schedule.DurationTicks);
    }

    [Fact]
    public void OffsetTicks_RateBelowOnePerSecond_SendsAtExactSpacing()
    {
        var schedule = RateSchedule.Constant(0.5, TimeSpan.FromSeconds(10));

        Assert.Equal(5, schedule.TotalCount);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(2L * i * s_frequency, schedule.OffsetTicks(i));
        }
    }

    [Fact]
    public void OffsetTicks_FractionalRate_EqualsClosedForm()
    {
        var schedule = RateSchedule.Constant(0.3, TimeSpan.FromSeconds(100));

        Assert.Equal(30, schedule.TotalCount);
        for (int i = 0; i < 30; i++)
        {
            double exact = i / 0.3 * s_frequency;
            Assert.InRange(schedule.OffsetTicks(i), (long)Math.Floor(exact) - 1, (long)Math.Floor(exact));
        }
    }

    [Theory]
    [InlineData(100, 1100, 10)]
    [InlineData(0, 2000, 5)]
    [InlineData(5000, 1000, 4)]
    [InlineData(0.2, 3, 20)]
    public void OffsetTicks_Ramp_EqualsClosedFormToTheTick(double from, double to, int seconds)
    {
        var schedule = RateSchedule.Ramp(from, to, TimeSpan.FromSeconds(seconds));
        decimal r0 = (decimal)from;
        decimal a = ((decimal)to - r0) / seconds;

        Assert.Equal((long)Math.Ceiling(((from + to) / 2 * seconds) - 1e-9), schedule.TotalCount);
        for (long i = 0; i < schedule.TotalCount; i++)
        {
            // N(t) = r0 t + a t^2 / 2 = i, solved in decimal (28 digits).
            decimal t = a == 0 ? i / r0 : (-r0 + Sqrt((r0 * r0) + (2 * a * i))) / a;
            long expected = (long)Math.Floor(t * s_frequency);
            Assert.InRange(schedule.OffsetTicks(i), expected - 1, expected + 1);
        }
    }

    [Fact]
    public void CountsPerSecond_Ramp_FollowTheRamp()
    {
        // 100/s rising to 1100/s over 10 s: second s holds the area under the rate, 100 + 100 s + 50 sends.
        var schedule = RateSchedule.Ramp(100, 1100, TimeSpan.FromSeconds(10));
        for (int s = 0; s < 10; s++)
        {
            long count = schedule.CountBefore((s + 1) * s_frequency) - schedule.CountBefore(s * s_frequency);
            Assert.InRange(count, 150 + (100 * s) - 1, 150 + (100 * s) + 1);
        }

        Assert.Equal(6000, schedule.TotalCount);
    }

    [Fact]
    public void OffsetTicks_AnyOrderOfCalls_IsAPureNonDecreasingFunction()
    {
        var schedule = new RateSchedule([RateSegment.Constant(0.5, TimeSpan.FromSeconds(3)), RateSegment.Ramp(10, 1000, TimeSpan.FromSeconds(2)), RateSegment.Constant(333, TimeSpan.FromSeconds(1))]);
        var forward = new long[schedule.TotalCount];
        for (int i = 0; i < forward.Length; i++)
        {
            forward[i] = schedule.OffsetTicks(i);
            Assert.True(i == 0 || forward[i] >= forward[i - 1], $"send {i} is before send {i - 1}");
            Assert.True(forward[i] < schedule.DurationTicks);
        }

        var random = new Random(3);
        for (int n = 0; n < 10_000; n++)
        {
            int i = random.Next(forward.Length);
            Assert.Equal(forward[i], schedule.OffsetTicks(i));
        }
    }

    [Fact]
    public void WithWarmUp_PrependsTheInitialRate()
    {
        var schedule = RateSchedule.Ramp(1000, 2000, TimeSpan.FromSeconds(1)).WithWarmUp(TimeSpan.FromSeconds(2));

        Assert.Equal(2000, schedule.CountBefore(2 * s_frequency));
        Assert.Equal(2 * s_frequency, schedule.OffsetTicks(2000));
        Assert.Equal(3500, schedule.TotalCount);
    }

    [Fact]
    public void Constructor_NegativeRate_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RateSchedule.Constant(-1, TimeSpan.FromSeconds(1)));

    private static decimal Sqrt(decimal x)
    {
        if (x <= 0)
        {
            return 0;
        }

        decimal guess = (decimal)Math.Sqrt((double)x);
        for (int n = 0; n < 5; n++)
        {
            guess = (guess + (x / guess)) / 2;
        }

        return guess;
    }
}
