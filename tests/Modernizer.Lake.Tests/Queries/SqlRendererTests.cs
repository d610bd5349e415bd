using Modernizer.Lake.Engines;
using Modernizer.Lake.Queries;
using static Modernizer.Lake.Queries.Sql;

namespace Modernizer.Lake.Tests.Queries;

/// <summary>Issue item 4: one query model, printed for DuckDB and Spark SQL; identifiers quoted,
/// values bound, never spliced.</summary>
public sealed class SqlRendererTests
{
    private static readonly SelectQuery Query =
        Select(Col("region").As("region"), CountAll().As("rows"), Fn(SqlFunctions.ApproxQuantile, Col("amount"), new NumberList([0.5m])).As("median"))
            .From(new NamedTable(["main", "sales", "orders"]))
            .Where(And(Gt(Col("amount"), Val(100m)), Eq(Col("info", "city"), Val("O'Hare\"; DROP TABLE x; --"))))
            .GroupBy(Col("region"))
            .OrderBy(Col("region"))
            .Limit(10);

    [Fact]
    public void The_same_query_prints_for_duckdb()
    {
        var rendered = SqlRenderer.Render(Query, SqlDialect.DuckDb);
        Assert.Equal(
            "SELECT \"region\" AS \"region\", count(*) AS \"rows\", approx_quantile(\"amount\", [0.5]) AS \"median\" FROM \"main\".\"sales\".\"orders\" WHERE ((\"amount\" > $p0) AND (\"info\".\"city\" = $p1)) GROUP BY \"region\" ORDER BY \"region\" ASC LIMIT 10",
            rendered.Sql);
        Assert.Equal([100m, "O'Hare\"; DROP TABLE x; --"], rendered.Parameters.Select(p => p.Value));
    }

    [Fact]
    public void The_same_query_prints_for_spark_sql()
    {
        var rendered = SqlRenderer.Render(Query, SqlDialect.SparkSql);
        Assert.Equal(
            "SELECT `region` AS `region`, count(*) AS `rows`, percentile_approx(`amount`, array(0.5)) AS `median` FROM `main`.`sales`.`orders` WHERE ((`amount` > :p0) AND (`info`.`city` = :p1)) GROUP BY `region` ORDER BY `region` ASC LIMIT 10",
            rendered.Sql);
        Assert.Equal(["p0", "p1"], rendered.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Hostile_identifiers_are_quoted_not_executed()
    {
        var query = Select(Col("a\"b").As("x`y")).From(new NamedTable(["t"]));
        Assert.Equal("SELECT \"a\"\"b\" AS \"x`y\" FROM \"t\"", SqlRenderer.Render(query, SqlDialect.DuckDb).Sql);
        Assert.Equal("SELECT `a\"b` AS `x``y` FROM `t`", SqlRenderer.Render(query, SqlDialect.SparkSql).Sql);
    }

    [Fact]
    public void A_function_or_relation_the_dialect_lacks_is_refused()
    {
        var topK = Select(Fn(SqlFunctions.ApproxTopK, Col("a"), Num(5)).As("k")).From(new NamedTable(["t"]));
        Assert.Throws<UnsupportedSqlException>(() => SqlRenderer.Render(topK, SqlDialect.SparkSql));
        var duckRelation = Select(CountAll().As("n")).From(new EngineRelation(SqlDialect.DuckDb, "read_parquet('x')"));
        Assert.Throws<UnsupportedSqlException>(() => SqlRenderer.Render(duckRelation, SqlDialect.SparkSql));
    }

    [Fact]
    public async Task A_rendered_query_runs_in_duckdb_with_its_bound_values()
    {
        await using var engine = await DuckDbEngine.OpenAsync(CancellationToken.None);
        var query = Select(CountAll().As("n"))
            .From(new EngineRelation(SqlDialect.DuckDb, "(SELECT range AS \"amount\" FROM range(10))"))
            .Where(Gt(Col("amount"), Val(6L)));
        var rendered = SqlRenderer.Render(query, SqlDialect.DuckDb);
        var result = await engine.QueryAsync(rendered.Sql, rendered.Parameters, CancellationToken.None);
        Assert.Equal(3L, Convert.ToInt64(result.Scalar, System.Globalization.CultureInfo.InvariantCulture));
    }
}
