namespace FastAgents.Serialization.Tests.Messages;

/// <summary>A type with a hand-written formatter (see <c>CustomFormatterTests</c>).</summary>
public sealed class Temperature
{
    public Temperature(double celsius) => Celsius = celsius;

    public double Celsius { get; }
}
