using System.Globalization;

namespace Modernizer.Delivery;

/// <summary>Percentages as reviewers read them ("99.50%"), the same on every machine.</summary>
internal static class Percent
{
    public static string Of(double? rate, int decimals = 2) =>
        rate is { } r ? (r * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%" : "unknown";
}
