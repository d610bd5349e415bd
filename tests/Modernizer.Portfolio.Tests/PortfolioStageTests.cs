using System.Text.Json;
using Modernizer.Domain.Serialization;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Output;
using Modernizer.Portfolio.Prioritization;
using Modernizer.Portfolio.Scanning;
using Modernizer.Portfolio.Staging;

namespace Modernizer.Portfolio.Tests;

/// <summary>Tier 1 scans once: the scanner's tables staged under .modernize/portfolio/stage give the
/// FinOps analyst and the prioritizer, on fresh engines, exactly what they compute on the scanner's own
/// engine; a stage of other inputs, or one a killed run left half-written, is never used.</summary>
public sealed class PortfolioStageTests : IDisposable
{
    private const string Inputs = "inputs-1";

    private readonly TempWorkspace _world = MiniWorld.Create();

    public void Dispose() => _world.Dispose();

    private static Task<DuckDbEngine> OpenAsync() => DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(Path.GetTempPath()), CancellationToken.None);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Artifact);

    /// <summary>The scan stage's work: scan, write inventory.json, stage the tables.</summary>
    private async Task<ScanResult> ScanAndStageAsync(IQueryEngine engine, string inputHash)
    {
        var scan = await new PortfolioScanner(engine, PortfolioOptions.Default).ScanAsync(_world.Paths, CancellationToken.None);
        var artifacts = await PortfolioWriter.WriteInventoryAsync(_world.Paths, scan.Inventory, CancellationToken.None);
        await PortfolioStage.SaveScanAsync(engine, _world.Paths, inputHash, artifacts.Single(a => a.Path == PortfolioWriter.InventoryArtifact).Sha256, CancellationToken.None);
        return scan;
    }

    [Fact]
    public async Task Later_stages_on_fresh_engines_compute_what_one_engine_computes()
    {
        Tier1Result expected;
        await using (var engine = await OpenAsync())
        {
            expected = await Tier1.RunAsync(_world.Paths, engine, PortfolioOptions.Default, CancellationToken.None);
        }

        await using (var scanEngine = await OpenAsync())
        {
            await ScanAndStageAsync(scanEngine, Inputs);
        }

        FinOpsResult finops;
        await using (var finopsEngine = await OpenAsync())
        {
            var inventory = await PortfolioStage.TryAttachScanAsync(finopsEngine, _world.Paths, Inputs, CancellationToken.None);
            Assert.NotNull(inventory);
            Assert.Equal(Json(expected.Scan.Inventory), Json(inventory));
            finops = await new FinOpsAnalyst(finopsEngine, PortfolioOptions.Default).AnalyzeAsync(_world.Paths, new ScanResult(inventory, [], []), CancellationToken.None);
        }

        Assert.Equal(Json(expected.FinOps.Report), Json(finops.Report));
        Assert.Equal(Json(expected.FinOps.Decisions), Json(finops.Decisions));
        Assert.Equal(expected.FinOps.Escalations.Select(e => (e.Kind, e.JobId, e.Summary)), finops.Escalations.Select(e => (e.Kind, e.JobId, e.Summary)));

        var written = await PortfolioWriter.WriteFinOpsAsync(_world.Paths, finops.Report, CancellationToken.None);
        await PortfolioStage.SaveFinOpsAsync(_world.Paths, Inputs, written.Single().Sha256, CancellationToken.None);
        var stagedInventory = await PortfolioStage.TryReadInventoryAsync(_world.Paths, Inputs, CancellationToken.None);
        var stagedFinOps = await PortfolioStage.TryReadFinOpsAsync(_world.Paths, Inputs, CancellationToken.None);
        Assert.NotNull(stagedInventory);
        Assert.NotNull(stagedFinOps);
        var backlog = await new Prioritizer(PortfolioOptions.Default).PrioritizeAsync(
            _world.Paths, new ScanResult(stagedInventory, [], []), new FinOpsResult(stagedFinOps, [], []), CancellationToken.None);
        Assert.Equal(Json(expected.Backlog.Backlog), Json(backlog.Backlog));
        Assert.Equal(Json(expected.Backlog.Decisions), Json(backlog.Decisions));
    }

    [Fact]
    public async Task A_stage_of_other_inputs_is_not_used()
    {
        await using (var engine = await OpenAsync())
        {
            await ScanAndStageAsync(engine, Inputs);
        }

        await PortfolioStage.SaveFinOpsAsync(_world.Paths, Inputs, "0000", CancellationToken.None);
        await using var fresh = await OpenAsync();
        Assert.Null(await PortfolioStage.TryAttachScanAsync(fresh, _world.Paths, "inputs-2", CancellationToken.None));
        Assert.Null(await PortfolioStage.TryReadInventoryAsync(_world.Paths, "inputs-2", CancellationToken.None));
        Assert.Null(await PortfolioStage.TryReadFinOpsAsync(_world.Paths, "inputs-2", CancellationToken.None));
        // Nothing was attached: the analyst's own check still sees an empty engine.
        var views = await fresh.QueryAsync("SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'pf_%'", null, CancellationToken.None);
        Assert.Equal(0L, Convert.ToInt64(views.Scalar, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_artifact_changed_after_staging_is_not_trusted()
    {
        await using (var engine = await OpenAsync())
        {
            await ScanAndStageAsync(engine, Inputs);
        }

        await File.AppendAllTextAsync(_world.Paths.InventoryJson, " ");
        Assert.Null(await PortfolioStage.TryReadInventoryAsync(_world.Paths, Inputs, CancellationToken.None));
        await using var fresh = await OpenAsync();
        Assert.Null(await PortfolioStage.TryAttachScanAsync(fresh, _world.Paths, Inputs, CancellationToken.None));
    }

    [Fact]
    public async Task A_save_killed_half_way_leaves_the_previous_stage_and_the_next_save_clears_its_folder()
    {
        await using (var engine = await OpenAsync())
        {
            await ScanAndStageAsync(engine, Inputs);
        }

        // The second save is cancelled after its third table: the kill lands between two Parquet files.
        await using (var engine = await OpenAsync())
        {
            await new PortfolioScanner(engine, PortfolioOptions.Default).ScanAsync(_world.Paths, CancellationToken.None);
            using var kill = new CancellationTokenSource();
            var killing = new KillAfterCopies(engine, copies: 3, kill);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                PortfolioStage.SaveScanAsync(killing, _world.Paths, "inputs-2", "unused", kill.Token));
        }

        var folders = Directory.GetDirectories(PortfolioStage.Folder(_world.Paths));
        Assert.Equal(2, folders.Length);
        await using (var fresh = await OpenAsync())
        {
            Assert.Null(await PortfolioStage.TryAttachScanAsync(fresh, _world.Paths, "inputs-2", CancellationToken.None));
            Assert.NotNull(await PortfolioStage.TryAttachScanAsync(fresh, _world.Paths, Inputs, CancellationToken.None));
        }

        await using (var engine = await OpenAsync())
        {
            await ScanAndStageAsync(engine, "inputs-2");
        }

        Assert.Single(Directory.GetDirectories(PortfolioStage.Folder(_world.Paths)));
        await using var last = await OpenAsync();
        Assert.NotNull(await PortfolioStage.TryAttachScanAsync(last, _world.Paths, "inputs-2", CancellationToken.None));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("missing table file")]
    [InlineData("foreign folder")]
    [InlineData("older format")]
    public async Task A_damaged_or_foreign_manifest_is_ignored(string damage)
    {
        await using (var engine = await OpenAsync())
        {
            await ScanAndStageAsync(engine, Inputs);
        }

        var path = PortfolioStage.ScanManifestPath(_world.Paths);
        var manifest = JsonSerializer.Deserialize<ScanStageManifest>(await File.ReadAllBytesAsync(path), JsonDefaults.Artifact)!;
        switch (damage)
        {
            case "truncated":
                var text = await File.ReadAllTextAsync(path);
                await File.WriteAllTextAsync(path, text[..(text.Length / 2)]);
                break;
            case "missing table file":
                File.Delete(Path.Combine(PortfolioStage.Folder(_world.Paths), manifest.Folder, "pf_runs.parquet"));
                break;
            case "foreign folder":
                await AtomicFile.WriteJsonAsync(path, manifest with { Folder = "../../catalog" }, CancellationToken.None);
                break;
            default:
                await AtomicFile.WriteJsonAsync(path, manifest with { Format = PortfolioStage.Format - 1 }, CancellationToken.None);
                break;
        }

        await using var fresh = await OpenAsync();
        Assert.Null(await PortfolioStage.TryAttachScanAsync(fresh, _world.Paths, Inputs, CancellationToken.None));
    }

    /// <summary>Passes statements to the engine and cancels the save after <c>copies</c> COPY statements,
    /// as a kill between two table files would stop it.</summary>
    private sealed class KillAfterCopies(IQueryEngine inner, int copies, CancellationTokenSource kill) : IQueryEngine
    {
        private int _copies;

        public string Name => inner.Name;

        public string Version => inner.Version;

        public SqlDialect Dialect => inner.Dialect;

        public Task<QueryResult> QueryAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken) =>
            inner.QueryAsync(sql, parameters, cancellationToken);

        public async Task<long> ExecuteAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
        {
            var rows = await inner.ExecuteAsync(sql, parameters, cancellationToken);
            if (sql.StartsWith("COPY", StringComparison.Ordinal) && ++_copies == copies)
            {
                await kill.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return rows;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
