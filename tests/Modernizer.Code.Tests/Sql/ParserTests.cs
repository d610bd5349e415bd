using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Tests.Sql;

/// <summary>Parser behaviour beyond the round-trip corpus: positions, errors, limits, precedence.</summary>
public sealed class ParserTests
{
    [Fact]
    public void Errors_name_line_and_column_and_show_a_caret()
    {
        var error = Assert.Throws<SqlSyntaxException>(() => SparkSqlParser.Parse("SELECT a\nFROM t WHERE (b = 1")).Errors.Single();
        Assert.Equal(2, error.Span.Line);
        Assert.Equal(20, error.Span.Column);
        Assert.Equal("Line 2, Col 20: expected ')' but found end of input\n  FROM t WHERE (b = 1\n  " + new string(' ', 19) + "^", error.Render());
    }

    [Fact]
    public void Collect_mode_skips_a_bad_statement_and_parses_the_rest()
    {
        var result = SparkSqlParser.Parse("SELECT 1; SELECT FROM; SELECT (2); INSERT t", ParseOptions.Collecting);
        Assert.Equal(2, result.Statements.Length);
        Assert.Equal(2, result.Errors.Length);
        Assert.Contains("expected INTO", result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var sql = "SELECT " + new string('(', 5000) + "1" + new string(')', 5000);
        var error = Assert.Throws<SqlSyntaxException>(() => SparkSqlParser.Parse(sql));
        Assert.Contains("nesting deeper than 256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unterminated_strings_and_comments_are_reported()
    {
        Assert.Contains("unterminated string", Assert.Throws<SqlSyntaxException>(() => SparkSqlParser.Parse("SELECT 'abc")).Message, StringComparison.Ordinal);
        Assert.Contains("unterminated comment", Assert.Throws<SqlSyntaxException>(() => SparkSqlParser.Parse("SELECT 1 /* x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_node_carries_its_span()
    {
        var query = SparkSqlParser.ParseQuery("SELECT\n  a + b AS s\nFROM t");
        var alias = Assert.IsType<Alias>(Assert.IsType<Select>(query.Body).Items[0]);
        Assert.Equal(new SourceSpan(2, 3, 9, 10), alias.Span);
        var sum = Assert.IsType<Binary>(alias.Operand);
        Assert.Equal(new SourceSpan(2, 7, 13, 1), sum.Right.Span);
    }

    [Theory]
    [InlineData("a OR b AND c", "a OR (b AND c)")]
    [InlineData("NOT a = b", "NOT (a = b)")]
    [InlineData("a + b * c", "a + (b * c)")]
    [InlineData("a - b - c", "(a - b) - c")]
    [InlineData("a || b = c", "(a || b) = c")]
    [InlineData("a | b & c", "a | (b & c)")]
    [InlineData("-a.b[0]", "-(a.b[0])")]
    [InlineData("a BETWEEN 1 AND 2 AND c", "(a BETWEEN 1 AND 2) AND c")]
    public void Operators_bind_by_spark_precedence(string sql, string parenthesized) =>
        Assert.Equal(SparkSqlParser.ParseExpression(parenthesized), SparkSqlParser.ParseExpression(sql));

    [Fact]
    public void Literals_keep_their_spark_kinds()
    {
        var kinds = ((Select)SparkSqlParser.ParseQuery("SELECT 1, 1L, 1.5, 1.5BD, 1e3, 2D, 3F, 4S, 5Y, X'AB', DATE '2024-01-01'").Body).Items
            .Select(i => ((Literal)i).Kind);
        Assert.Equal(
            [LiteralKind.Integer, LiteralKind.BigInt, LiteralKind.Decimal, LiteralKind.Decimal, LiteralKind.Double, LiteralKind.Double, LiteralKind.Float, LiteralKind.SmallInt, LiteralKind.TinyInt, LiteralKind.Binary, LiteralKind.Date],
            kinds);
    }

    [Fact]
    public void Strings_are_unescaped()
    {
        var literal = (Literal)SparkSqlParser.ParseExpression(@"'a\tb\'c''d\u0041'");
        Assert.Equal("a\tb'c'dA", literal.Value);
    }

    [Fact]
    public void Placeholders_can_stand_for_names_and_values()
    {
        var select = (Select)SparkSqlParser.ParseQuery("SELECT ${col} FROM ${db}.orders WHERE x = {limit}").Body;
        Assert.Equal(new Placeholder("col", PlaceholderStyle.Dollar), select.Items[0]);
        var table = (TableRef)select.From[0];
        Assert.True(table.Name.Parts[0].IsPlaceholder);
        Assert.Equal(new Placeholder("limit", PlaceholderStyle.Brace), ((Binary)select.Where!).Right);
    }

    [Fact]
    public void Types_parse_into_spark_types()
    {
        var cast = (Cast)SparkSqlParser.ParseExpression("CAST(x AS MAP<STRING, ARRAY<STRUCT<a: INT, b: DECIMAL(10,2)>>>)");
        var map = Assert.IsType<MapType>(cast.Type);
        var element = Assert.IsType<StructType>(Assert.IsType<ArrayType>(map.Value).Element);
        Assert.Equal(SparkType.Decimal(10, 2), element.Fields[1].Type);
    }

    [Fact]
    public void Pass_through_statements_keep_their_text_and_target()
    {
        var statement = Assert.IsType<PassThrough>(SparkSqlParser.ParseStatement("OPTIMIZE dw.fact ZORDER BY (id)"));
        Assert.Equal("OPTIMIZE", statement.Keyword);
        Assert.Equal("dw.fact", statement.Target!.ToString());
        Assert.Equal("OPTIMIZE dw.fact ZORDER BY (id)", statement.Text);
    }
}
