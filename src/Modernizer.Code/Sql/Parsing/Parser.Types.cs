using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Sql.Parsing;

/// <summary>Data types in CAST, column definitions and <c>::</c>.</summary>
internal sealed partial class Parser
{
    private SparkType ParseType()
    {
        using var scope = Enter();
        var name = ExpectName("a data type").ToUpperInvariant();
        switch (name)
        {
            case "BOOLEAN":
                return SparkType.Boolean;
            case "TINYINT" or "BYTE":
                return SparkType.Byte;
            case "SMALLINT" or "SHORT":
                return SparkType.Short;
            case "INT" or "INTEGER":
                return SparkType.Int;
            case "BIGINT" or "LONG":
                return SparkType.Long;
            case "FLOAT" or "REAL":
                return SparkType.Float;
            case "DOUBLE":
                Match("PRECISION");
                return SparkType.Double;
            case "DECIMAL" or "DEC" or "NUMERIC":
                if (!IsSymbol("("))
                {
                    return SparkType.Decimal(10, 0);
                }

                ExpectSymbol("(");
                var precision = ExpectInteger();
                var scale = MatchSymbol(",") ? ExpectInteger() : 0;
                ExpectSymbol(")");
                return SparkType.Decimal(precision, scale);
            case "STRING" or "TEXT":
                return SparkType.String;
            case "VARCHAR" or "CHAR" or "CHARACTER":
                ExpectSymbol("(");
                var length = ExpectInteger();
                ExpectSymbol(")");
                return new CharType(name == "VARCHAR" ? "VARCHAR" : "CHAR", length);
            case "BINARY":
                return SparkType.Binary;
            case "DATE":
                return SparkType.Date;
            case "TIMESTAMP" or "TIMESTAMP_LTZ":
                return SparkType.Timestamp;
            case "TIMESTAMP_NTZ":
                return SparkType.TimestampNtz;
            case "VOID":
                return SparkType.Null;
            case "INTERVAL":
                return ParseIntervalType();
            case "ARRAY":
                ExpectSymbol("<");
                var element = ParseType();
                ExpectClosingAngle();
                return SparkType.Array(element);
            case "MAP":
                ExpectSymbol("<");
                var key = ParseType();
                ExpectSymbol(",");
                var value = ParseType();
                ExpectClosingAngle();
                return SparkType.Map(key, value);
            case "STRUCT":
                return ParseStructType();
            default:
                throw Error(Previous.Span, $"unknown data type '{name}'");
        }
    }

    private IntervalType ParseIntervalType()
    {
        if (Current.Kind != TokenKind.Word || !IntervalUnits.Contains(Current.Text))
        {
            return IntervalType.Calendar;
        }

        var from = Advance().Text.ToUpperInvariant();
        return Match("TO") ? new IntervalType($"{from} TO {ExpectName("an interval unit").ToUpperInvariant()}") : new IntervalType(from);
    }

    private StructType ParseStructType()
    {
        ExpectSymbol("<");
        var fields = ImmutableArray.CreateBuilder<StructField>();
        if (!IsSymbol(">"))
        {
            do
            {
                var fieldName = ExpectName("a field name");
                MatchSymbol(":");
                var fieldType = ParseType();
                var nullable = !MatchSequence("NOT", "NULL");
                if (Match("COMMENT"))
                {
                    ExpectString();
                }

                fields.Add(new StructField(fieldName, fieldType, nullable));
            }
            while (MatchSymbol(","));
        }

        ExpectClosingAngle();
        return new StructType(fields.ToImmutable());
    }

    private void ExpectClosingAngle()
    {
        if (IsSymbol(">="))
        {
            throw Expected("'>'");
        }

        ExpectSymbol(">");
    }

    private int ExpectInteger()
    {
        if (Current.Kind != TokenKind.Number || !int.TryParse(Current.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Expected("an integer");
        }

        Advance();
        return value;
    }
}
