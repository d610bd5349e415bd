using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;

namespace Modernizer.Lake.Tests.Reconciliation;

/// <summary>Item 8 (report), item 7 (determinism check) and item 9 (Spark SQL rendering).</summary>
public sealed class ReportAndRenderingTests
{
    [Fact]
    public async Task The_json_report_has_the_workspace_fields_and_the_html_escapes_every_value()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT 1 AS id, '<script>alert(1)</script>' AS s UNION ALL SELECT 2, 'ok'");
        var c = await f.ParquetAsync("c", "SELECT 1 AS id, '<img src=x>' AS s UNION ALL SELECT 2, 'ok'");
        var v = await f.ReconcileAsync(b, c, "id");
        var routing = ReconciliationRouting.Route(v, RoutingPolicy.Default);
        var json = Path.Combine(f.Root, "out", "reconciliation.json");
        var html = Path.Combine(f.Root, "out", "reconciliation.html");
        await ReconciliationReportWriter.WriteJsonAsync(json, v, routing, CancellationToken.None);
        await ReconciliationReportWriter.WriteHtmlAsync(html, v, routing, CancellationToken.None);

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal("mismatch", root.GetProperty("status").GetString());
        Assert.Equal(0.5, root.GetProperty("match_rate").GetDouble());
        foreach (var field in new[] { "baseline", "candidate", "matched", "changed", "missing_in_candidate", "extra_in_candidate", "duplicate_keys" })
        {
            Assert.Equal(JsonValueKind.Number, root.GetProperty("rows").GetProperty(field).ValueKind);
        }

        var column = root.GetProperty("columns").EnumerateArray().Single(x => x.GetProperty("name").GetString() == "s");
        Assert.Equal(1, column.GetProperty("mismatches").GetInt64());
        Assert.Equal(0.5, column.GetProperty("match_rate").GetDouble());
        Assert.Equal("id", root.GetProperty("key")[0].GetString());
        Assert.Equal("changed", root.GetProperty("samples")[0].GetProperty("class").GetString());
        Assert.Equal(Reconciler.EncodingVersion, root.GetProperty("encoding_version").GetString());
        Assert.Equal(64, root.GetProperty("config_hash").GetString()!.Length);
        Assert.Equal("duckdb", root.GetProperty("engine").GetProperty("name").GetString());
        Assert.Equal("escalate", root.GetProperty("routing").GetProperty("route").GetString());
        Assert.Equal("reconciliation_failure", root.GetProperty("routing").GetProperty("escalation").GetProperty("kind").GetString());

        var page = await File.ReadAllTextAsync(html);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"diff\"><td>s</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_config_hash_changes_with_the_options_and_not_with_the_diff_location()
    {
        var request = new ReconcileRequest(new TableRef("b"), new TableRef("c"), ["id"], ReconcileOptions.Default);
        var moved = request with { Options = request.Options with { DiffPath = "/elsewhere/diff.parquet" } };
        var waived = request with { Options = request.Options with { Waivers = [ColumnWaiver.Absolute("x", 0.1, "r")] } };
        Assert.Equal(Reconciler.ConfigHash(request), Reconciler.ConfigHash(moved));
        Assert.NotEqual(Reconciler.ConfigHash(request), Reconciler.ConfigHash(waived));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Two_legacy_runs_reveal_the_nondeterministic_columns()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var run1 = await f.ParquetAsync("run1", "SELECT i AS id, i * 3 AS total, 'batch-1' AS batch_id FROM range(10) t(i)");
        var run2 = await f.ParquetAsync("run2", "SELECT i AS id, i * 3 AS total, 'batch-2' AS batch_id FROM range(10) t(i)");
        var report = await DeterminismCheck.CompareRunsAsync(new Reconciler(f.Engine), new TableRef(run1), new TableRef(run2), ["id"], CancellationToken.None);
        Assert.False(report.Deterministic);
        Assert.Equal<string>(["batch_id"], report.NondeterministicColumns);
        Assert.False(report.RowsDiffer);
    }

    [Fact]
    public void The_same_reconciliation_renders_as_spark_sql()
    {
        var d = ReconcileDialect.For(SqlDialect.SparkSql);
        var info = new TableInfo("/lake/out", "delta", null);
        var b = new SourceRelation("delta.`/lake/legacy`", [], info, [], null);
        var c = new SourceRelation("delta.`/lake/new`", [], info, [], null);
        ImmutableArray<SideColumn> columns = [new("id", "bigint"), new("amount", "decimal(10,2)"), new("ts", "timestamp"), new("it's", "string")];
        var compared = columns.Skip(1).Select(x => ColumnComparison.Create(x.Name, x.Type, x.Type)).ToImmutableArray();
        var query = new ReconciliationQuery(d, b, c, columns, columns, ["id"], compared, ReconcileOptions.Default);
        var sql = query.KeyedAggregate($"({query.DuplicateKeys()})");
        Assert.Contains("FULL OUTER JOIN", sql, StringComparison.Ordinal);
        Assert.Contains("(b.`id` <=> c.`id`)", sql, StringComparison.Ordinal);
        Assert.Contains("unix_micros(__rc_b_2)", sql, StringComparison.Ordinal);
        Assert.Contains("`it's`", sql, StringComparison.Ordinal);
        Assert.Contains("count(*) FILTER (WHERE __rc_in_b AND __rc_in_c AND __rc_d_0) AS m_0", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("IS NOT DISTINCT FROM", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("struct_pack", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch_us", sql, StringComparison.Ordinal);

        var keyless = query.KeylessAggregate(capture: false);
        Assert.Contains("md5(concat(", keyless, StringComparison.Ordinal);
        Assert.Contains("octet_length(", keyless, StringComparison.Ordinal);
        Assert.Contains("named_struct('id', __rc_s.`id`", keyless, StringComparison.Ordinal);
        Assert.Equal("'it\\'s'", d.Literal("it's"));
    }

    [Fact]
    public async Task The_duckdb_rendering_of_the_same_definition_runs()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var d = ReconcileDialect.For(SqlDialect.DuckDb);
        var info = new TableInfo("t", "parquet", null);
        var b = new SourceRelation("(SELECT * FROM (VALUES (1, 2.5), (2, 3.5)) t(id, x))", [], info, [], null);
        var c = new SourceRelation("(SELECT * FROM (VALUES (1, 2.5), (2, 4.5), (3, 1.0)) t(id, x))", [], info, [], null);
        ImmutableArray<SideColumn> columns = [new("id", "INTEGER"), new("x", "DECIMAL(2,1)")];
        var query = new ReconciliationQuery(d, b, c, columns, columns, ["id"], [ColumnComparison.Create("x", "DECIMAL(2,1)", "DECIMAL(2,1)")], ReconcileOptions.Default);
        // The warehouse strategy (no temporary tables, per-column counts in the aggregate) rendered for DuckDB.
        var result = await f.Engine.QueryAsync(query.KeyedAggregate($"({query.DuplicateKeys()})"), null, CancellationToken.None);
        Assert.Equal(1L, result.Rows[0][result.Ordinal("n_matched")]);
        Assert.Equal(1L, result.Rows[0][result.Ordinal("n_changed")]);
        Assert.Equal(1L, result.Rows[0][result.Ordinal("n_extra")]);
        Assert.Equal(1L, result.Rows[0][result.Ordinal("m_0")]);
    }
}
