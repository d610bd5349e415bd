using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Tests.Sql;

/// <summary>Table-level facts straight from SQL text (R2.1 source-to-target mapping, table level).</summary>
public sealed class SqlAnalysisTests
{
    [Fact]
    public void Reads_and_writes_of_an_insert_select_are_reported()
    {
        var analysis = SqlAnalysis.Of("INSERT OVERWRITE TABLE gold.daily SELECT d, sum(x) FROM silver.orders o JOIN ref.fx f ON o.c = f.c GROUP BY d");
        Assert.Equal<string>(["silver.orders", "ref.fx"], analysis.ReadTables);
        var write = Assert.Single(analysis.Writes);
        Assert.Equal("gold.daily", write.Table);
        Assert.Equal(WriteKind.InsertOverwrite, write.Write);
    }

    [Fact]
    public void Cte_names_are_never_sources()
    {
        var analysis = SqlAnalysis.Of("WITH recent AS (SELECT * FROM sales.orders) SELECT * FROM recent JOIN recent r2 ON 1 = 1");
        Assert.Equal<string>(["sales.orders"], analysis.ReadTables);
        Assert.Equal<string>(["recent"], analysis.CteNames);
    }

    [Fact]
    public void Temp_views_registered_by_earlier_statements_are_not_sources()
    {
        var analysis = SqlAnalysis.Of(
            "CREATE OR REPLACE TEMP VIEW v AS SELECT * FROM bronze.orders; INSERT INTO silver.orders SELECT * FROM v;",
            knownTempViews: ["cell_view"]);
        Assert.Equal<string>(["bronze.orders"], analysis.ReadTables);
        Assert.Equal<string>(["silver.orders"], analysis.WrittenTables);
        Assert.Equal<string>(["v"], analysis.TempViews);
        Assert.Empty(SqlAnalysis.Of("SELECT * FROM cell_view", ["cell_view"]).ReadTables);
    }

    [Fact]
    public void Merge_update_delete_targets_are_writes_and_their_subqueries_reads()
    {
        var analysis = SqlAnalysis.Of("""
            MERGE INTO dw.c t USING staging.c s ON t.id = s.id WHEN MATCHED THEN UPDATE SET *;
            UPDATE dw.o SET x = 1 WHERE id IN (SELECT id FROM ref.ids);
            DELETE FROM dw.old WHERE EXISTS (SELECT 1 FROM ref.purge p WHERE p.id = dw.old.id);
            """);
        Assert.Equal<string>(["dw.c", "dw.o", "dw.old"], analysis.WrittenTables);
        Assert.Equal<WriteKind>([WriteKind.Merge, WriteKind.Update, WriteKind.Delete], analysis.Writes.Select(w => w.Write!.Value));
        Assert.Equal<string>(["staging.c", "ref.ids", "ref.purge"], analysis.ReadTables);
    }

    [Fact]
    public void Placeholders_are_found_in_names_strings_and_values()
    {
        var analysis = SqlAnalysis.Of("SELECT * FROM ${db}.orders o JOIN {catalog}.x ON 1 = 1 WHERE d = '${run_date}' AND r = {region} AND t = :tenant AND s = ${env}_x");
        Assert.Equal<string>(["db", "catalog", "run_date", "region", "tenant", "env"], analysis.Placeholders.Select(p => p.Name));
        Assert.True(analysis.Placeholders.Single(p => p.Name == "run_date").InString);
        Assert.Equal(PlaceholderStyle.Colon, analysis.Placeholders.Single(p => p.Name == "tenant").Style);
    }

    [Fact]
    public void Select_star_uses_are_reported_with_positions_but_count_star_is_not()
    {
        var analysis = SqlAnalysis.Of("SELECT count(*) FROM a;\nSELECT o.*, 1 FROM orders o;\nSELECT * FROM b");
        Assert.Equal(2, analysis.SelectStars.Length);
        Assert.Equal("o", analysis.SelectStars[0].Qualifier);
        Assert.Equal(2, analysis.SelectStars[0].Span.Line);
        Assert.Equal(8, analysis.SelectStars[0].Span.Column);
        Assert.Null(analysis.SelectStars[1].Qualifier);
        Assert.Equal(2, analysis.SelectStars[1].Statement);
    }

    [Fact]
    public void Statements_that_fail_to_parse_are_reported_and_the_rest_analysed()
    {
        var analysis = SqlAnalysis.Of("SELECT FROM WHERE; INSERT INTO t SELECT * FROM s");
        Assert.Single(analysis.Errors);
        Assert.Equal<string>(["s"], analysis.ReadTables);
    }

    [Fact]
    public void Ctes_written_before_an_insert_belong_to_its_query()
    {
        var analysis = SqlAnalysis.Of("WITH s AS (SELECT * FROM staging.src) INSERT INTO dw.t SELECT * FROM s");
        Assert.Equal<string>(["staging.src"], analysis.ReadTables);
        Assert.Equal<string>(["dw.t"], analysis.WrittenTables);
        Assert.Equal<string>(["s"], analysis.CteNames);
    }
}
