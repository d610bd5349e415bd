using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Ingestion;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio.Staging;

/// <summary>One staged table: its engine name, its Parquet file (relative to the stage folder) and its row count.</summary>
public sealed record StagedTable(string Name, string File, long Rows);

/// <summary><c>.modernize/portfolio/stage/scan.json</c>: which scan produced the staged tables (the hash of
/// the portfolio inputs), where they are, and the content hash of the inventory.json written with them.</summary>
public sealed record ScanStageManifest(int Format, string InputHash, string Folder, ImmutableArray<StagedTable> Tables, string InventorySha256);

/// <summary><c>.modernize/portfolio/stage/finops.json</c>: which inputs the finops.json artifact was computed from.</summary>
public sealed record FinOpsStageManifest(int Format, string InputHash, string FinOpsSha256);

/// <summary>Tier 1 scans once (R1.1-R1.3): the scanner's unified catalog is persisted as Parquet under
/// <c>.modernize/portfolio/stage/</c> so the FinOps and Prioritization stages, run later or in another
/// process, read it instead of ingesting every export again.
/// <para>Staleness: every manifest carries the hash of the portfolio inputs (catalog, finops, jobs,
/// configuration) it was computed from; a reader passes the hash of the inputs as they are now and gets
/// nothing when they differ. Completeness: tables are written into a fresh folder, and the manifest that
/// names the folder is written last and atomically, so a killed run leaves either the previous complete
/// stage or an orphan folder no manifest points at (removed by the next save).</para></summary>
public static class PortfolioStage
{
    /// <summary>Bumped whenever the staged tables or manifests change shape: an older stage is then ignored.</summary>
    public const int Format = 1;

    /// <summary>The scanner's tables the later tier-1 stages query (FinOpsSql): the inventory's job ids, the
    /// merged catalog, the catalog aliases, the runs, the attributed tickets and the SLA runs. Runs are
    /// millions of rows and FinOps reads four of their columns, so only those are staged.</summary>
    public static readonly ImmutableArray<string> ScanTables =
        ["pf_inventory_ids", "pf_jobs", "pf_alias", "pf_runs", "pf_ticket_links", "pf_sla_runs"];

    private static readonly ImmutableDictionary<string, string> Projections = ImmutableDictionary.CreateRange(StringComparer.Ordinal,
        [KeyValuePair.Create("pf_runs", "job_id, state, start_time, end_time")]);

    public static string Folder(WorkspacePaths workspace) => Path.Combine(workspace.Portfolio, "stage");

    public static string ScanManifestPath(WorkspacePaths workspace) => Path.Combine(Folder(workspace), "scan.json");

    public static string FinOpsManifestPath(WorkspacePaths workspace) => Path.Combine(Folder(workspace), "finops.json");

    /// <summary>Persists the scanner's tables from <paramref name="engine"/> (which just ran the scan and
    /// wrote inventory.json with <paramref name="inventorySha256"/>), then switches the manifest to them.</summary>
    public static async Task SaveScanAsync(IQueryEngine engine, WorkspacePaths workspace, string inputHash, string inventorySha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(workspace);
        var stage = Folder(workspace);
        var name = "scan-" + Guid.NewGuid().ToString("N");
        var folder = Path.Combine(stage, name);
        Directory.CreateDirectory(folder);
        var tables = ImmutableArray.CreateBuilder<StagedTable>(ScanTables.Length);
        foreach (var table in ScanTables)
        {
            var file = table + ".parquet";
            var rows = await engine.ExecuteAsync(
                $"COPY (SELECT {Projections.GetValueOrDefault(table, "*")} FROM {Sql.Quote(table)}) TO {Sql.Literal(Path.Combine(folder, file))} (FORMAT parquet, COMPRESSION zstd)", null, cancellationToken);
            tables.Add(new StagedTable(table, file, rows));
        }

        await AtomicFile.WriteJsonAsync(ScanManifestPath(workspace), new ScanStageManifest(Format, inputHash, name, tables.MoveToImmutable(), inventorySha256), cancellationToken);
        RemoveOrphans(stage, keep: name);
    }

    /// <summary>Makes the staged tables of a scan of the same inputs visible in <paramref name="engine"/> (views
    /// over the Parquet files, plus the macros and the bad-row table ingestion creates) and returns the
    /// scan's inventory; null when there is no complete stage for <paramref name="inputHash"/>.</summary>
    public static async Task<Inventory?> TryAttachScanAsync(IQueryEngine engine, WorkspacePaths workspace, string inputHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var manifest = await ReadScanManifestAsync(workspace, inputHash, cancellationToken);
        if (manifest is null)
        {
            return null;
        }

        var inventory = await ReadVerifiedAsync<Inventory>(workspace.InventoryJson, manifest.InventorySha256, cancellationToken);
        if (inventory is null)
        {
            return null;
        }

        await new ExportStager(engine, workspace.Root).InitializeAsync(cancellationToken);
        foreach (var table in manifest.Tables)
        {
            var path = Path.Combine(Folder(workspace), manifest.Folder, table.File);
            await engine.ExecuteAsync($"CREATE OR REPLACE TEMP VIEW {Sql.Quote(table.Name)} AS SELECT * FROM read_parquet({Sql.Literal(path)})", null, cancellationToken);
        }

        return inventory;
    }

    /// <summary>The scan's inventory for <paramref name="inputHash"/>, without touching an engine; null when stale or absent.</summary>
    public static async Task<Inventory?> TryReadInventoryAsync(WorkspacePaths workspace, string inputHash, CancellationToken cancellationToken)
    {
        var manifest = await ReadScanManifestAsync(workspace, inputHash, cancellationToken);
        return manifest is null ? null : await ReadVerifiedAsync<Inventory>(workspace.InventoryJson, manifest.InventorySha256, cancellationToken);
    }

    /// <summary>Records that finops.json (content hash <paramref name="finopsSha256"/>) was computed from the inputs of <paramref name="inputHash"/>.</summary>
    public static async Task SaveFinOpsAsync(WorkspacePaths workspace, string inputHash, string finopsSha256, CancellationToken cancellationToken) =>
        await AtomicFile.WriteJsonAsync(FinOpsManifestPath(workspace), new FinOpsStageManifest(Format, inputHash, finopsSha256), cancellationToken);

    /// <summary>The FinOps report computed from the inputs of <paramref name="inputHash"/>; null when stale or absent.</summary>
    public static async Task<FinOpsReport?> TryReadFinOpsAsync(WorkspacePaths workspace, string inputHash, CancellationToken cancellationToken)
    {
        var manifest = await ReadManifestAsync<FinOpsStageManifest>(FinOpsManifestPath(workspace), cancellationToken);
        return manifest is { Format: Format } && manifest.InputHash == inputHash
            ? await ReadVerifiedAsync<FinOpsReport>(workspace.FinopsJson, manifest.FinOpsSha256, cancellationToken)
            : null;
    }

    private static async Task<ScanStageManifest?> ReadScanManifestAsync(WorkspacePaths workspace, string inputHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var manifest = await ReadManifestAsync<ScanStageManifest>(ScanManifestPath(workspace), cancellationToken);
        if (manifest is not { Format: Format } || manifest.InputHash != inputHash || manifest.Tables.IsDefault
            || !IsOwnFolderName(manifest.Folder) || manifest.Tables.Select(t => t.Name).Order(StringComparer.Ordinal).SequenceEqual(ScanTables.Order(StringComparer.Ordinal)) is false)
        {
            return null;
        }

        var folder = Path.Combine(Folder(workspace), manifest.Folder);
        return manifest.Tables.All(t => t.File == t.Name + ".parquet" && File.Exists(Path.Combine(folder, t.File))) ? manifest : null;
    }

    /// <summary>A manifest names a folder the stage itself created; anything else (a path, "..") is not trusted.</summary>
    private static bool IsOwnFolderName(string? folder) =>
        folder is { Length: 37 } && folder.StartsWith("scan-", StringComparison.Ordinal) && folder[5..].All(char.IsAsciiHexDigitLower);

    private static async Task<T?> ReadManifestAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<T>(stream, JsonDefaults.Artifact, cancellationToken);
        }
        catch (JsonException)
        {
            // Not ours or damaged: the stage is recomputed, never trusted.
            return null;
        }
    }

    /// <summary>Reads an artifact only when its bytes are the ones the manifest recorded.</summary>
    private static async Task<T?> ReadVerifiedAsync<T>(string path, string sha256, CancellationToken cancellationToken)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha256, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, JsonDefaults.Artifact);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void RemoveOrphans(string stage, string keep)
    {
        foreach (var folder in Directory.EnumerateDirectories(stage, "scan-*"))
        {
            if (!string.Equals(Path.GetFileName(folder), keep, StringComparison.Ordinal))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Another process may still read it; the next save tries again.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}
