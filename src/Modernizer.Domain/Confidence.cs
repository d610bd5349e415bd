using System.Globalization;

namespace Modernizer.Domain;

/// <summary>A probability-like confidence in [0, 1].</summary>
public readonly record struct Confidence
{
    public Confidence(double value)
    {
        if (double.IsNaN(value) || value < 0 || value > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Confidence must lie in [0, 1].");
        }

        Value = value;
    }

    public double Value { get; }

    public static Confidence Certain { get; } = new(1.0);

    public override string ToString() => Value.ToString("0.00", CultureInfo.InvariantCulture);
}
