using System.Globalization;
using Modernizer.Lake.Delta.Writing;
using Modernizer.Samples.Generation;
using Modernizer.Samples.Legacy;

namespace Modernizer.Samples.Tests;

/// <summary>Deliverable 5: re-running every reference program on the raw tables reproduces the
/// curated tables exactly, and the runner works as an API on table folders.</summary>
[Collection(SampleWorkspaceCollection.Name)]
public sealed class ReferenceProgramTests(SampleWorkspaceFixture sample) : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "modernizer-reference-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task Rerunning_every_reference_program_on_the_raw_lake_reproduces_every_curated_table()
    {
        var raw = Path.Combine(_work, "raw");
        Directory.CreateDirectory(raw);
        await using (var db = await SampleDb.OpenAsync(CancellationToken.None))
        {
            foreach (var folder in Directory.EnumerateDirectories(Path.Combine(sample.Workspace, "lake", "raw")))
            {
                await LegacyTableExchange.ExportAsync(db, "raw." + Path.GetFileName(folder), folder, raw, CancellationToken.None);
            }
        }

        var runner = LegacyRunner.ForWorkspace(sample.Workspace);
        var outputs = await CuratedLakeWriter.RunPlanAsync(runner, raw, _work, CancellationToken.None);

        var curated = Directory.EnumerateDirectories(Path.Combine(sample.Workspace, "lake", "curated")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(curated.Select(c => "curated." + c), outputs.Keys);
        using var duck = SampleWorkspaceFixture.OpenDuckDb();
        foreach (var (table, folder) in outputs)
        {
            var expected = await LiveFilesAsync(Path.Combine(sample.Workspace, "lake", "curated", table["curated.".Length..]));
            var select = await LegacyTableExchange.ImportSelectAsync(folder, table, CancellationToken.None);
            var actualCount = Count(duck, $"SELECT count(*) FROM ({select})");
            Assert.Equal(Count(duck, $"SELECT count(*) FROM {expected}"), actualCount);
            Assert.Equal(0L, Count(duck, $"SELECT count(*) FROM ((SELECT * FROM ({select})) EXCEPT ALL (SELECT * FROM {expected}))"));
            Assert.Equal(0L, Count(duck, $"SELECT count(*) FROM ((SELECT * FROM {expected}) EXCEPT ALL (SELECT * FROM ({select})))"));
        }
    }

    [Fact]
    public async Task The_runner_takes_table_folders_and_returns_parquet_output_folders()
    {
        var runner = LegacyRunner.ForWorkspace(sample.Workspace);
        var inputs = new Dictionary<string, string>
        {
            ["raw.orders"] = Path.Combine(sample.Workspace, "lake", "raw", "orders"),
            ["raw.fx_rates"] = Path.Combine(sample.Workspace, "lake", "raw", "fx_rates"),
        };

        var result = await runner.RunAsync("orders_usd_normalized", inputs, new Dictionary<string, string?>(), _work, CancellationToken.None);

        Assert.Equal(["curated.orders_usd"], result.OutputTables.ToArray());
        using var duck = SampleWorkspaceFixture.OpenDuckDb();
        var produced = Path.Combine(result.Outputs["curated.orders_usd"], "part-00000.parquet");
        var expected = await LiveFilesAsync(Path.Combine(sample.Workspace, "lake", "curated", "orders_usd"));
        Assert.Equal(0L, Count(duck, $"SELECT count(*) FROM ((SELECT * FROM read_parquet('{produced}')) EXCEPT ALL (SELECT * FROM {expected}))"));
        Assert.Contains("curated.orders_usd", result.Log, StringComparison.Ordinal);
    }

    // snaps.agg(F.max("snapshot_date")).collect()[0][0] is one row even when no snapshot has a date:
    // NULL, which keeps no snapshot and no order, so the Spark job writes an empty table and succeeds.
    // The generated case empty_raw_inventory_snapshots depends on it: a program that raised there would
    // expect the faithful rewrite to fail.
    [Theory]
    [InlineData("inventory_reorder", "curated.reorder_suggestions", "")]
    [InlineData("inventory_reorder_dc", "curated.inventory_reorder_dc__reorder_suggestions", "")]
    [InlineData("inventory_reorder", "curated.reorder_suggestions", """{"snapshot_date": null, "store_id": 1, "product_id": 1, "on_hand": 0, "reserved": 5}""")]
    public async Task Inventory_reorder_without_a_snapshot_date_writes_no_rows_as_Spark_does(string job, string target, string snapshots)
    {
        var input = Path.Combine(_work, "in");
        Directory.CreateDirectory(input);
        await using (var db = await SampleDb.OpenAsync(CancellationToken.None))
        {
            foreach (var table in new[] { "inventory_snapshots", "orders", "order_lines", "products" })
            {
                await LegacyTableExchange.ExportAsync(db, "raw." + table, Path.Combine(sample.Workspace, "lake", "raw", table), input, CancellationToken.None);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(input, "raw.inventory_snapshots.jsonl"), snapshots.Length == 0 ? string.Empty : snapshots + "\n");
        var output = Path.Combine(_work, "out");

        var run = await LegacyRunner.ForWorkspace(sample.Workspace).RunJsonlAsync(job, input, output, CancellationToken.None);

        Assert.Equal([target], run.OutputTables.ToArray());
        Assert.Empty(File.ReadAllLines(Path.Combine(output, target + ".jsonl")));
    }

    [Fact]
    public async Task A_failing_or_unknown_job_raises_with_the_programs_message()
    {
        var runner = LegacyRunner.ForWorkspace(sample.Workspace);
        Directory.CreateDirectory(_work);
        var error = await Assert.ThrowsAsync<LegacyRunException>(() => runner.RunJsonlAsync("no_such_job", _work, Path.Combine(_work, "out"), CancellationToken.None));
        Assert.Contains("no reference program", error.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<LegacyRunException>(() => runner.RunJsonlAsync("customer_360", _work, Path.Combine(_work, "out"), CancellationToken.None));
        Assert.Contains("raw.customers", missing.Message, StringComparison.Ordinal);
    }

    private static async Task<string> LiveFilesAsync(string table)
    {
        var state = (await DeltaCommitLog.ReadAsync(table, CancellationToken.None))!;
        return "read_parquet([" + string.Join(", ", state.Files.Select(f => "'" + Path.Combine(table, f.Path) + "'")) + "])";
    }

    private static long Count(DuckDB.NET.Data.DuckDBConnection db, string sql) =>
        Convert.ToInt64(SampleWorkspaceFixture.Scalar(db, sql), CultureInfo.InvariantCulture);
}
