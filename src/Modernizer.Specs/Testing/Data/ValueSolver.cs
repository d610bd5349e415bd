using Modernizer.Specs.Data;
using Modernizer.Specs.Plans;

namespace Modernizer.Specs.Testing.Data;

/// <summary>Solves a predicate atom for a value (R3.2: values come from solving the plan's predicates):
/// a DuckDB SQL expression that makes <c>column op constants</c> true or false, in the column's type.
/// "Another value" for a string comes from the fixture itself when it has one.</summary>
internal static class ValueSolver
{
    /// <summary>The value, or null when the atom cannot be solved that way (a string below a bound...).</summary>
    public static string? Solve(AtomOp op, IReadOnlyList<string> constants, string? type, bool want, string otherValue)
    {
        var c0 = constants.Count > 0 ? constants[0] : null;
        return (op, want) switch
        {
            (AtomOp.Eq, true) or (AtomOp.NotEq, false) => c0,
            (AtomOp.Eq, false) or (AtomOp.NotEq, true) => otherValue,
            (AtomOp.In, true) or (AtomOp.NotIn, false) => c0,
            (AtomOp.In, false) or (AtomOp.NotIn, true) => otherValue,
            (AtomOp.IsNull, true) or (AtomOp.IsNotNull, false) => "NULL",
            (AtomOp.IsNull, false) or (AtomOp.IsNotNull, true) => otherValue,
            (AtomOp.Lt, true) or (AtomOp.GtEq, false) => Step(c0, type, -1),
            (AtomOp.Lt, false) or (AtomOp.GtEq, true) => c0,
            (AtomOp.LtEq, true) or (AtomOp.Gt, false) => c0,
            (AtomOp.LtEq, false) or (AtomOp.Gt, true) => Step(c0, type, +1),
            (AtomOp.Between, true) => c0,
            (AtomOp.Between, false) => Step(c0, type, -1),
            _ => null,
        };
    }

    /// <summary>b−1, b or b+1 (for dates, the days around b), in the column's type.</summary>
    public static string? Step(string? constant, string? type, int delta)
    {
        if (constant is null)
        {
            return null;
        }

        var duck = DuckType(type);
        if (duck is null)
        {
            return null;
        }

        return delta switch
        {
            0 => $"CAST({constant} AS {duck})",
            _ when duck == "DATE" => $"(CAST({constant} AS DATE) {(delta < 0 ? "-" : "+")} {Math.Abs(delta).ToString(System.Globalization.CultureInfo.InvariantCulture)})",
            _ => $"CAST(CAST({constant} AS {duck}) {(delta < 0 ? "-" : "+")} {Math.Abs(delta).ToString(System.Globalization.CultureInfo.InvariantCulture)} AS {duck})",
        };
    }

    /// <summary>The DuckDB type of an orderable Spark SQL type, or null for text and others.</summary>
    public static string? DuckType(string? sparkType) => sparkType?.ToUpperInvariant() switch
    {
        "DATE" => "DATE",
        "INT" => "INTEGER",
        "BIGINT" => "BIGINT",
        "SMALLINT" => "SMALLINT",
        "TINYINT" => "TINYINT",
        "DOUBLE" => "DOUBLE",
        "FLOAT" => "FLOAT",
        var t when t is not null && t.StartsWith("DECIMAL", StringComparison.Ordinal) => t,
        _ => null,
    };

    /// <summary>A value no equality in <paramref name="constants"/> matches: one the column holds elsewhere, else a made-up one of its type.</summary>
    public static string OtherValueQuery(string table, string column, IReadOnlyList<string> constants) =>
        $"SELECT CAST({SqlText.Identifier(column)} AS VARCHAR) AS v FROM {table} WHERE {SqlText.Identifier(column)} IS NOT NULL"
        + (constants.Count > 0 ? $" AND {SqlText.Identifier(column)} NOT IN ({string.Join(", ", constants)})" : string.Empty)
        + " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1";
}
