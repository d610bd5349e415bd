using System.Collections.Frozen;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Emit;

/// <summary>DuckDB overrides (local validation). Only what differs from Spark is listed.</summary>
internal static class DuckDbDialect
{
    public static Dialect Create() => new()
    {
        Name = "DuckDB",
        IdentifierQuote = '"',
        BackslashEscapes = false,
        NumericSuffixes = false,
        LateralView = false,
        Hints = false,
        NullSafeEqualsOperator = false,
        IntegerDivision = "//",
        TimeTravel = false,
        ClusterDistributeSortBy = false,
        DoubleColonCast = true,
        SparkSpellings = false,
        BitXorOperator = null,
        RegexMatchFunction = "regexp_matches",
        ZeroBasedArrays = false,
        ParenthesizedInlineTables = true,
        PassUnknownFunctions = false,
        TableStorageClauses = false,
        InsertOverwrite = false,
        MergeStarActions = false,
        PassThroughStatements = false,
        SemiJoin = "SEMI JOIN ",
        AntiJoin = "ANTI JOIN ",
        TimestampNtzLiteral = "TIMESTAMP ",
        TypeName = TypeName,
        Functions = DuckDbFunctions.Rules.ToFrozenDictionary(StringComparer.Ordinal),
    };

    private static string TypeName(SparkType type) => type switch
    {
        StringType or CharType => "VARCHAR",
        BinaryType => "BLOB",
        IntegralType or FractionalType or BooleanType or DateType or DecimalType => type.SqlText,
        TimestampType => "TIMESTAMPTZ",
        TimestampNtzType => "TIMESTAMP",
        IntervalType => "INTERVAL",
        ArrayType array => TypeName(array.Element) + "[]",
        MapType map => $"MAP({TypeName(map.Key)}, {TypeName(map.Value)})",
        StructType @struct => "STRUCT(" + string.Join(", ", @struct.Fields.Select(f => $"{Dialect.DuckDb.QuoteIdentifier(f.Name)} {TypeName(f.Type)}")) + ")",
        NullType => "INTEGER",
        _ => throw new UnsupportedConstructException("DuckDB", $"the type {type.SqlText}"),
    };
}
