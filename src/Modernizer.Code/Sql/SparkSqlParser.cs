using System.Collections.Immutable;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Sql;

/// <summary>Entry points of the hand-written Spark SQL parser (R2.1). Statements are separated
/// by ';'. In <see cref="ErrorMode.Throw"/> mode the first error raises
/// <see cref="SqlSyntaxException"/>; in <see cref="ErrorMode.Collect"/> mode a failing statement
/// is skipped up to the next ';' and its error recorded.</summary>
public static class SparkSqlParser
{
    public static ParseResult Parse(string sql, ParseOptions? options = null)
    {
        options ??= ParseOptions.Default;
        ImmutableArray<Token> tokens;
        try
        {
            tokens = SqlLexer.Tokenize(sql);
        }
        catch (SqlSyntaxException error) when (options.ErrorMode == ErrorMode.Collect)
        {
            return new ParseResult([], error.Errors);
        }

        return new Parser(sql, tokens, options).ParseScript();
    }

    /// <summary>Parses exactly one statement (a trailing ';' is allowed); always throws on error.</summary>
    public static Statement ParseStatement(string sql)
    {
        var result = Parse(sql);
        return result.Statements.Length == 1
            ? result.Statements[0]
            : throw new SqlSyntaxException($"Expected one statement, found {result.Statements.Length}.");
    }

    /// <summary>Parses one query (SELECT, WITH ..., VALUES, set operations).</summary>
    public static Query ParseQuery(string sql) =>
        ParseStatement(sql) is QueryStatement query
            ? query.Query
            : throw new SqlSyntaxException("Expected a query.");

    /// <summary>Parses one scalar expression, e.g. a PySpark <c>F.expr("...")</c> string.</summary>
    public static Expr ParseExpression(string sql, ParseOptions? options = null) =>
        new Parser(sql, SqlLexer.Tokenize(sql), options ?? ParseOptions.Default).ParseStandaloneExpression();

    /// <summary>The tokens of <paramref name="sql"/> (comments dropped), for tools that scan text.</summary>
    public static ImmutableArray<Token> Tokenize(string sql) => SqlLexer.Tokenize(sql);
}
