using System.Globalization;
using Modernizer.Lake.Reconciliation;

namespace Modernizer.Lake.Tests.Reconciliation;

/// <summary>R4.4 items 3-5 and 7: schema drift, wide tables, waivers, nondeterministic columns, errors.</summary>
public sealed class ReconcilerSchemaAndWaiverTests
{
    [Fact]
    public async Task Schema_drift_reports_missing_extra_type_and_order_differences()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT 1 AS id, 'a' AS name, 2 AS qty, 3.5 AS price");
        var c = await f.ParquetAsync("c", "SELECT 1 AS id, 2::BIGINT AS qty, 'a' AS name, 'new' AS extra");
        var v = await f.ReconcileAsync(b, c, "id");
        var s = v.SchemaDiff!;
        Assert.Equal<string>(["price"], s.MissingInCandidate);
        Assert.Equal<string>(["extra"], s.ExtraInCandidate);
        Assert.Equal("qty", Assert.Single(s.TypeDifferences).Name);
        Assert.True(s.ColumnOrderDiffers);
        Assert.Equal(ReconciliationStatus.Mismatch, v.Status);
        VerdictAssert.Counts(v, 1, 0, 0, 0, 0);
        Assert.False(v.Column("price").Compared);
        Assert.Equal(0.0, v.Column("extra").MatchRate);
    }

    [Fact]
    public async Task A_wide_table_of_500_columns_is_counted_per_column()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var columns = string.Join(", ", Enumerable.Range(0, 499).Select(i => string.Create(CultureInfo.InvariantCulture, $"i + {i} AS c{i}")));
        var changed = string.Join(", ", Enumerable.Range(0, 499).Select(i => i == 250
            ? "CASE WHEN i = 7 THEN -1 ELSE i + 250 END AS c250"
            : string.Create(CultureInfo.InvariantCulture, $"i + {i} AS c{i}")));
        var b = await f.ParquetAsync("b", $"SELECT i AS id, {columns} FROM range(20) t(i)");
        var c = await f.ParquetAsync("c", $"SELECT i AS id, {changed} FROM range(20) t(i)");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 19, 1, 0, 0, 0);
        Assert.Equal(500, v.Columns.Length);
        Assert.Equal(1, v.Column("c250").Mismatches);
        Assert.Equal(498, v.Columns.Count(x => x.Mismatches == 0 && x.Name != "id"));
        Assert.Equal<string>(["c250"], v.Samples.Of("changed").Single().DifferingColumns);
    }

    [Fact]
    public async Task Waivers_report_the_exact_and_the_waived_result()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (1, 100.0::DOUBLE, 10.0::DOUBLE, TIMESTAMP '2024-01-01 00:00:00'), (2, 200.0, 20.0, TIMESTAMP '2024-01-01 00:00:00')) t(id, a, r, ts)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (1, 100.004::DOUBLE, 10.0::DOUBLE, TIMESTAMP '2024-01-01 00:00:01'), (2, 200.0, 20.5, TIMESTAMP '2024-01-01 00:00:00')) t(id, a, r, ts)");
        var options = ReconcileOptions.Default with
        {
            Waivers =
            [
                ColumnWaiver.Absolute("a", 0.01, "rounding in the legacy UDF"),
                ColumnWaiver.Relative("r", 0.01, "float aggregation order"),
                ColumnWaiver.Duration("ts", TimeSpan.FromSeconds(2), "clock read at write time"),
            ],
        };
        var v = await f.ReconcileAsync(b, c, options, "id");
        VerdictAssert.Counts(v, 0, 2, 0, 0, 0);
        Assert.Equal(ReconciliationStatus.Mismatch, v.Status);
        Assert.Equal((1L, 0L), (v.Column("a").Mismatches!.Value, v.Column("a").WaivedMismatches!.Value));
        Assert.Equal((1L, 1L), (v.Column("r").Mismatches!.Value, v.Column("r").WaivedMismatches!.Value));
        Assert.Equal((1L, 0L), (v.Column("ts").Mismatches!.Value, v.Column("ts").WaivedMismatches!.Value));
        Assert.Equal(ReconciliationStatus.Mismatch, v.Waived!.Status);
        Assert.Equal(1, v.Waived.Matched);
        Assert.Equal(3, v.Waivers.Length);
    }

    [Fact]
    public async Task A_waiver_on_a_column_of_the_wrong_type_is_an_error()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT 1 AS id, 'x' AS s");
        var v = await f.ReconcileAsync(b, b, ReconcileOptions.Default with { Waivers = [ColumnWaiver.Absolute("s", 1, "no")] }, "id");
        Assert.Equal(ReconciliationStatus.Error, v.Status);
        Assert.Contains("'s'", v.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nondeterministic_columns_are_reported_and_kept_out_of_the_accepted_result_only()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT i AS id, i * 2 AS v, 'run-a' AS run_id FROM range(5) t(i)");
        var c = await f.ParquetAsync("c", "SELECT i AS id, i * 2 AS v, 'run-b' AS run_id FROM range(5) t(i)");
        var v = await f.ReconcileAsync(b, c, ReconcileOptions.Default with { NondeterministicColumns = ["run_id"] }, "id");
        Assert.Equal(ReconciliationStatus.Mismatch, v.Status);
        Assert.Equal(5, v.Column("run_id").Mismatches);
        Assert.True(v.Column("run_id").Nondeterministic);
        Assert.Equal(ReconciliationStatus.Match, v.Waived!.Status);
    }

    [Fact]
    public async Task An_unreadable_table_is_an_error_naming_the_file()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT 1 AS id");
        var broken = Path.Combine(f.Root, "broken");
        Directory.CreateDirectory(broken);
        await File.WriteAllTextAsync(Path.Combine(broken, "part-0.parquet"), "not parquet");
        var v = await f.ReconcileAsync(b, broken, "id");
        Assert.Equal(ReconciliationStatus.Error, v.Status);
        Assert.Contains("broken", v.Error, StringComparison.Ordinal);
        var missing = await f.ReconcileAsync(b, Path.Combine(f.Root, "nowhere"), "id");
        Assert.Contains("nowhere", missing.Error, StringComparison.Ordinal);
        var badKey = await f.ReconcileAsync(b, b, "nope");
        Assert.Contains("'nope'", badKey.Error, StringComparison.Ordinal);
    }
}
