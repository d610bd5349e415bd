using System.Globalization;

namespace Modernizer.Lake.Reconciliation;

public enum WaiverKind
{
    /// <summary>|baseline - candidate| &lt;= tolerance.</summary>
    Absolute,

    /// <summary>|baseline - candidate| &lt;= tolerance * max(|baseline|, |candidate|).</summary>
    Relative,

    /// <summary>|baseline - candidate| &lt;= tolerance seconds, for timestamps (compared in microseconds).</summary>
    Duration,
}

/// <summary>A declared tolerance for one column (item 5). The verdict reports the exact result and
/// the result with waivers applied; a waiver never hides a NULL against a value.</summary>
public sealed record ColumnWaiver(string Column, WaiverKind Kind, double Tolerance, string Reason)
{
    public static ColumnWaiver Absolute(string column, double tolerance, string reason) => new(column, WaiverKind.Absolute, Checked(tolerance), reason);

    public static ColumnWaiver Relative(string column, double tolerance, string reason) => new(column, WaiverKind.Relative, Checked(tolerance), reason);

    public static ColumnWaiver Duration(string column, TimeSpan tolerance, string reason) => new(column, WaiverKind.Duration, Checked(tolerance.TotalSeconds), reason);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Column}: {Kind} {Tolerance}");

    private static double Checked(double tolerance) =>
        double.IsFinite(tolerance) && tolerance >= 0
            ? tolerance
            : throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "A waiver tolerance must be a finite number >= 0.");
}
