namespace FastAgents.Serialization.Tests;

/// <summary>A hand-written formatter for a type the generator does not cover.</summary>
public sealed class CustomFormatterTests
{
    private sealed class TemperatureFormatter : FastFormatter<Temperature>
    {
        public override void Serialize<TBufferWriter>(ref FastMessageWriter<TBufferWriter> writer, scoped in Temperature? value)
        {
            if (value is null)
            {
                writer.WriteNullObjectHeader();
                return;
            }

            writer.WriteObjectHeader(1);
            writer.WriteUnmanaged(value.Celsius);
        }

        public override void Deserialize(ref FastMessageReader reader, scoped ref Temperature? value)
        {
            if (!reader.TryReadObjectHeader(out byte count))
            {
                value = null;
                return;
            }

            value = new Temperature(count > 0 ? reader.ReadUnmanaged<double>() : 0);
        }
    }

    [Fact]
    public void Register_HandWrittenFormatter_UsedDirectlyAndAsMember()
    {
        FastFormatterProvider.Register(new TemperatureFormatter());

        Assert.True(FastFormatterProvider.IsRegistered<Temperature>());
        Assert.Equal(21.5, FastSerializer.Deserialize<Temperature>(FastSerializer.Serialize(new Temperature(21.5)))!.Celsius);

        WithCustomMember? back = FastSerializer.Deserialize<WithCustomMember>(FastSerializer.Serialize(new WithCustomMember { Id = 3, Reading = new Temperature(-4) }));
        Assert.Equal(3, back!.Id);
        Assert.Equal(-4, back.Reading!.Celsius);
    }
}
