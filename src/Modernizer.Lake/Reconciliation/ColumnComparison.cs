using System.Globalization;
using System.Text.RegularExpressions;

namespace Modernizer.Lake.Reconciliation;

/// <summary>The value family of a column type, read from either DuckDB or Spark SQL spelling.</summary>
internal enum TypeFamily
{
    Integer,
    Decimal,
    Float,
    Timestamp,
    Date,
    Boolean,
    Text,
    Binary,
    Map,
    Nested,
    Other,
}

internal static partial class ColumnTypes
{
    public static TypeFamily Family(string type)
    {
        var t = type.Trim().ToUpperInvariant();
        if (t.StartsWith("MAP", StringComparison.Ordinal))
        {
            return TypeFamily.Map;
        }

        if (t.EndsWith(']') || t.StartsWith("STRUCT", StringComparison.Ordinal) || t.StartsWith("ARRAY", StringComparison.Ordinal)
            || t.StartsWith("LIST", StringComparison.Ordinal) || t.StartsWith("UNION", StringComparison.Ordinal))
        {
            return TypeFamily.Nested;
        }

        if (t.StartsWith("DECIMAL", StringComparison.Ordinal) || t.StartsWith("NUMERIC", StringComparison.Ordinal))
        {
            return TypeFamily.Decimal;
        }

        if (t.StartsWith("TIMESTAMP", StringComparison.Ordinal) || t == "DATETIME")
        {
            return TypeFamily.Timestamp;
        }

        if (t.StartsWith("VARCHAR", StringComparison.Ordinal) || t.StartsWith("CHAR", StringComparison.Ordinal) || t == "STRING" || t == "TEXT")
        {
            return TypeFamily.Text;
        }

        return t switch
        {
            "TINYINT" or "SMALLINT" or "INTEGER" or "INT" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER"
                or "UBIGINT" or "UHUGEINT" or "BYTE" or "SHORT" or "LONG" or "INT1" or "INT2" or "INT4" or "INT8" => TypeFamily.Integer,
            "FLOAT" or "REAL" or "DOUBLE" or "FLOAT4" or "FLOAT8" => TypeFamily.Float,
            "DATE" => TypeFamily.Date,
            "BOOLEAN" or "BOOL" => TypeFamily.Boolean,
            "BLOB" or "BINARY" or "BYTEA" or "VARBINARY" => TypeFamily.Binary,
            _ => TypeFamily.Other,
        };
    }

    /// <summary>The scale of a DECIMAL(p,s) type; 0 for integers.</summary>
    public static int Scale(string type)
    {
        var match = DecimalPattern().Match(type);
        return match.Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"\(\s*(\d+)\s*,\s*(\d+)\s*\)")]
    private static partial Regex DecimalPattern();
}

/// <summary>How one column present on both sides is compared and encoded: the canonical form
/// chosen from both types (item 2). Comparison is by value within a family; across families the
/// canonical text is compared, and the schema diff reports the type difference.</summary>
internal sealed record ColumnComparison(string Name, string BaselineType, string CandidateType, TypeFamily Family, int Scale)
{
    public static ColumnComparison Create(string name, string baselineType, string candidateType)
    {
        var b = ColumnTypes.Family(baselineType);
        var c = ColumnTypes.Family(candidateType);
        var family = (b, c) switch
        {
            _ when b == c => b,
            (TypeFamily.Integer, TypeFamily.Decimal) or (TypeFamily.Decimal, TypeFamily.Integer) => TypeFamily.Decimal,
            (TypeFamily.Float, TypeFamily.Integer or TypeFamily.Decimal) or (TypeFamily.Integer or TypeFamily.Decimal, TypeFamily.Float) => TypeFamily.Float,
            (TypeFamily.Date, TypeFamily.Timestamp) or (TypeFamily.Timestamp, TypeFamily.Date) => TypeFamily.Timestamp,
            _ => TypeFamily.Other,
        };
        var scale = Math.Max(ColumnTypes.Scale(baselineType), ColumnTypes.Scale(candidateType));
        return new ColumnComparison(name, baselineType, candidateType, family, scale);
    }

    /// <summary>True when the pair differs, never NULL; NULL equals NULL only.</summary>
    public string Differs(ReconcileDialect d, string baseline, string candidate, FloatPolicy policy)
    {
        switch (Family)
        {
            case TypeFamily.Float:
                var parts = new List<string> { d.IsDistinct(baseline, candidate) };
                if (!policy.NanEqualsNan)
                {
                    parts.Add($"coalesce(isnan({baseline}) AND isnan({candidate}), false)");
                }

                if (!policy.NegativeZeroEqualsZero)
                {
                    parts.Add($"coalesce({baseline} = 0 AND {candidate} = 0 AND {d.CastText(baseline)} <> {d.CastText(candidate)}, false)");
                }

                return "(" + string.Join(" OR ", parts) + ")";
            case TypeFamily.Timestamp:
                return d.IsDistinct(Micros(d, baseline, BaselineType), Micros(d, candidate, CandidateType));
            case TypeFamily.Map:
                return d.IsDistinct(d.CanonicalMap(baseline), d.CanonicalMap(candidate));
            case TypeFamily.Other:
                return d.IsDistinct(d.CastText(baseline), d.CastText(candidate));
            default:
                return d.IsDistinct(baseline, candidate);
        }
    }

    /// <summary>True when the pair differs by more than the waiver allows (a NULL against a value always differs).</summary>
    public string DiffersBeyond(ReconcileDialect d, string baseline, string candidate, FloatPolicy policy, ColumnWaiver? waiver)
    {
        var exact = Differs(d, baseline, candidate, policy);
        if (waiver is null)
        {
            return exact;
        }

        string within;
        if (waiver.Kind == WaiverKind.Duration)
        {
            var micros = d.Number(Math.Round(waiver.Tolerance * 1_000_000));
            within = $"abs({Micros(d, baseline, BaselineType)} - {Micros(d, candidate, CandidateType)}) <= {micros}";
        }
        else
        {
            var b = $"CAST({baseline} AS DOUBLE)";
            var c = $"CAST({candidate} AS DOUBLE)";
            var bound = waiver.Kind == WaiverKind.Absolute
                ? d.Number(waiver.Tolerance)
                : $"{d.Number(waiver.Tolerance)} * greatest(abs({b}), abs({c}))";
            within = $"abs({b} - {c}) <= {bound}";
        }

        return $"({exact} AND NOT coalesce({within}, false))";
    }

    /// <summary>The canonical text of a non-null value, identical for equal values on both sides.</summary>
    public string Encode(ReconcileDialect d, string value, string type, FloatPolicy policy) => Family switch
    {
        TypeFamily.Integer or TypeFamily.Date or TypeFamily.Boolean or TypeFamily.Text or TypeFamily.Other => d.CastText(value),
        TypeFamily.Decimal => d.CastText($"CAST({value} AS DECIMAL(38, {Scale.ToString(CultureInfo.InvariantCulture)}))"),
        TypeFamily.Float => policy.NegativeZeroEqualsZero
            ? $"CASE WHEN isnan({value}) THEN 'NaN' WHEN {value} = 0 THEN '0' ELSE {d.CastText($"CAST({value} AS DOUBLE)")} END"
            : $"CASE WHEN isnan({value}) THEN 'NaN' ELSE {d.CastText($"CAST({value} AS DOUBLE)")} END",
        TypeFamily.Timestamp => d.CastText(Micros(d, value, type)),
        TypeFamily.Binary => d.Hex(value),
        TypeFamily.Map => d.ToJson(d.CanonicalMap(value)),
        TypeFamily.Nested => d.ToJson(value),
        _ => throw new InvalidOperationException($"Unhandled type family {Family}."),
    };

    /// <summary>UTC microseconds since the epoch: a zoned timestamp is an instant already, a
    /// naive one is read as UTC, a date is its midnight. Sub-microsecond digits are dropped.</summary>
    private static string Micros(ReconcileDialect d, string value, string type) =>
        ColumnTypes.Family(type) == TypeFamily.Date ? d.EpochMicros($"CAST({value} AS TIMESTAMP)") : d.EpochMicros(value);

    /// <summary>Length-prefixed field encoding: NULL is 'N', a value is 'V' + byte length + ':' +
    /// canonical text, so ("ab","c") and ("a","bc") and NULL vs '' vs 'NULL' all encode differently.</summary>
    public string FieldEncoding(ReconcileDialect d, string value, string type, FloatPolicy policy)
    {
        var text = Encode(d, value, type, policy);
        return $"CASE WHEN {value} IS NULL THEN 'N' ELSE concat('V', {d.CastText(d.ByteLength(text))}, ':', {text}) END";
    }
}
