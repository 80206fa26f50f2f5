using System.Runtime.CompilerServices;
using FastAgents.Rings.Internal;
using Xunit;

namespace FastAgents.Rings.Tests;

/// <summary>Proves the padding the false-sharing argument depends on, from the runtime's real layout.</summary>
public sealed class SequenceLayoutTests
{
    private const int CacheLine = 64;
    private const int ObjectHeader = 16; // sync block + method table pointer on 64-bit

    [Fact]
    public void Sequence_Value_IsFiftySixBytesIntoTheObject()
    {
        var sequence = new Sequence(42);

        long offset = Unsafe.ByteOffset(ref RawData(sequence), ref Unsafe.As<long, byte>(ref SequenceValue(sequence)));

        Assert.Equal(56, offset);
        Assert.Equal(42, SequenceValue(sequence));
    }

    [Fact]
    public void Sequence_Object_HasAFullCacheLineAroundItsValue()
    {
        long size = AllocatedSize(static () => new Sequence());

        // 16 header + 56 pad + 8 value + 56 pad: any other object's bytes are at least 72 bytes before the
        // value and 56 after it, so no 64-byte line holding the value holds anything else that is written.
        Assert.Equal(ObjectHeader + 120, size);
        Assert.True(ObjectHeader + 56 >= CacheLine);
        Assert.True(size - ObjectHeader - 56 - sizeof(long) + sizeof(long) >= CacheLine);
    }

    [Fact]
    public void ParkingLot_Sleepers_HaveAFullCacheLineAroundThem()
    {
        var lot = new ParkingLot();

        long offset = Unsafe.ByteOffset(ref RawData(lot), ref Unsafe.As<int, byte>(ref Sleepers(lot)));
        long size = AllocatedSize(static () => RuntimeHelpers.GetUninitializedObject(typeof(ParkingLot)));

        Assert.Equal(56, offset);
        Assert.Equal(ObjectHeader + 120, size);
    }

    [Fact]
    public void Sequence_Operations_HaveTheirDocumentedResults()
    {
        var s = new Sequence();
        Assert.Equal(Sequence.InitialValue, s.Value);
        s.SetValue(5);
        Assert.Equal(5, s.Value);
        s.SetValueVolatile(6);
        Assert.Equal(6, s.Value);
        Assert.False(s.CompareAndSet(5, 9));
        Assert.True(s.CompareAndSet(6, 9));
        Assert.Equal(10, s.IncrementAndGet());
        Assert.Equal(15, s.AddAndGet(5));
        Assert.Equal(3, Sequence.GetMinimum([new Sequence(7), new Sequence(3), s]));
        Assert.Equal(long.MaxValue, Sequence.GetMinimum([]));
    }

    private static long AllocatedSize(Func<object> allocate)
    {
        GC.KeepAlive(allocate()); // warm up: type loading and JIT allocate too
        long before = GC.GetAllocatedBytesForCurrentThread();
        object o = allocate();
        long after = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(o);
        return after - before;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_value")]
    private static extern ref long SequenceValue(Sequence sequence);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_sleepers")]
    private static extern ref int Sleepers(ParkingLot lot);

    private static ref byte RawData(object o) => ref Unsafe.As<RawObject>(o).FirstByte;

    private sealed class RawObject
    {
        public byte FirstByte;
    }
}
