using System.Globalization;

namespace Modernizer.Web.Pages;

/// <summary>Invariant-culture formatting for every number and date a page shows; "—" for unknown.</summary>
public static class Fmt
{
    public const string Unknown = "—";

    public static string Number(double? value, string format = "#,0.##") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : Unknown;

    public static string Number(long? value) => value?.ToString("#,0", CultureInfo.InvariantCulture) ?? Unknown;

    public static string Percent(double? rate, string format = "0.#") =>
        rate is { } r && double.IsFinite(r) ? (r * 100).ToString(format, CultureInfo.InvariantCulture) + "%" : Unknown;

    public static string Usd(double? value) =>
        value is { } v && double.IsFinite(v) ? "$" + v.ToString("#,0.00", CultureInfo.InvariantCulture) : Unknown;

    public static string Usd(decimal value) => "$" + value.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Confidence(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : Unknown;

    public static string Seconds(double? seconds) => seconds switch
    {
        null => Unknown,
        < 120 => Number(seconds, "0") + " s",
        < 7200 => Number(seconds / 60, "0.#") + " min",
        _ => Number(seconds / 3600, "0.#") + " h",
    };

    public static string Text(string? value) => string.IsNullOrEmpty(value) ? Unknown : value;

    /// <summary>A value for an SVG attribute (a bar's width in percent, clamped to 0..100).</summary>
    public static string BarWidth(double? rate) =>
        (rate is { } r && double.IsFinite(r) ? Math.Clamp(r, 0, 1) * 100 : 0).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Invariant(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
