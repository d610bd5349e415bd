using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Sql.Types;

/// <summary>Spark type names as written in SQL and in PySpark DDL strings (<c>decimal(18,2)</c>,
/// <c>long</c>, <c>array&lt;string&gt;</c>), read with the Spark SQL parser's own type grammar.</summary>
public static class SparkTypeText
{
    public static SparkType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SparkSqlParser.ParseExpression($"CAST(NULL AS {text})") is Cast cast
            ? cast.Type
            : throw new ArgumentException($"'{text}' is not a Spark type.", nameof(text));
    }
}
