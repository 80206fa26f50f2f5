using System.Runtime.CompilerServices;

namespace FastAgents.Rings.Internal;

/// <summary>
/// Backoff for a producer that finds the ring full: spin briefly (the consumer is usually a few slots
/// behind), then yield the core, then sleep so that a stalled consumer does not cost a whole core.
/// </summary>
internal struct ProducerBackoff
{
    private const int SpinLimit = 64;
    private const int YieldLimit = SpinLimit + 512;

    private int _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Once()
    {
        int c = _count;
        if (c < SpinLimit)
        {
            SpinPause.Once();
            _count = c + 1;
        }
        else
        {
            Slow(c);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Slow(int c)
    {
        if (c < YieldLimit)
        {
            Thread.Yield();
            _count = c + 1;
        }
        else
        {
            Thread.Sleep(1);
        }
    }
}
