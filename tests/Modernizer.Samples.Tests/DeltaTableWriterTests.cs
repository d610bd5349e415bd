using System.Globalization;
using System.Text.Json;
using Modernizer.Lake.Delta.Writing;

namespace Modernizer.Samples.Tests;

public sealed class DeltaTableWriterTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "modernizer-delta-writer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Create_append_overwrite_give_contiguous_versions_and_the_last_rows()
    {
        using var db = SampleWorkspaceFixture.OpenDuckDb();
        var writer = new DeltaTableWriter(db);
        var table = Path.Combine(_root, "t");
        await writer.WriteAsync(table, "SELECT range AS id, range * 1.5::DOUBLE AS x FROM range(10)", DeltaWriteMode.Create, new("s.t", T0), CancellationToken.None);
        await writer.WriteAsync(table, "SELECT range + 10 AS id, 0.5::DOUBLE AS x FROM range(5)", DeltaWriteMode.Append, new("s.t", T0.AddHours(1)), CancellationToken.None);
        var overwrite = await writer.WriteAsync(table, "SELECT 99::BIGINT AS id, 1.0::DOUBLE AS x", DeltaWriteMode.Overwrite, new("s.t", T0.AddHours(2)), CancellationToken.None);

        Assert.Equal(2, overwrite.Version);
        Assert.Equal(2, overwrite.Removed.Length);
        var state = (await DeltaCommitLog.ReadAsync(table, CancellationToken.None))!;
        Assert.Single(state.Files);
        Assert.Equal(2, state.Tombstones.Length);
        var live = Path.Combine(table, state.Files[0].Path);
        Assert.Equal(99L, Convert.ToInt64(SampleWorkspaceFixture.Scalar(db, $"SELECT id FROM read_parquet('{live}')"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Create_refuses_an_existing_table_and_append_refuses_another_schema()
    {
        using var db = SampleWorkspaceFixture.OpenDuckDb();
        var writer = new DeltaTableWriter(db);
        var table = Path.Combine(_root, "t");
        await writer.WriteAsync(table, "SELECT 1 AS id", DeltaWriteMode.Create, new("s.t", T0), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            writer.WriteAsync(table, "SELECT 1 AS id", DeltaWriteMode.Create, new("s.t", T0), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            writer.WriteAsync(table, "SELECT 'a' AS name", DeltaWriteMode.Append, new("s.t", T0), CancellationToken.None));
    }

    [Fact]
    public async Task Metadata_maps_types_and_stats_cover_min_max_and_nulls()
    {
        using var db = SampleWorkspaceFixture.OpenDuckDb();
        var writer = new DeltaTableWriter(db);
        var table = Path.Combine(_root, "typed");
        await writer.WriteAsync(table,
            "SELECT * FROM (VALUES (1::BIGINT, 2.50::DECIMAL(18,2), DATE '2026-01-02', TIMESTAMPTZ '2026-01-02 03:04:05.123456+00', 'a', true), " +
            "(NULL, 10.00, DATE '2026-02-01', NULL, 'b', NULL)) t(id, amount, d, ts, s, flag)",
            DeltaWriteMode.Create, new("s.typed", T0), CancellationToken.None);

        var lines = File.ReadAllLines(Path.Combine(table, "_delta_log", "00000000000000000000.json"));
        var meta = JsonDocument.Parse(lines.Single(l => l.StartsWith("{\"metaData\"", StringComparison.Ordinal))).RootElement.GetProperty("metaData");
        var types = JsonDocument.Parse(meta.GetProperty("schemaString").GetString()!).RootElement.GetProperty("fields").EnumerateArray()
            .Select(f => f.GetProperty("type").GetString()).ToList();
        Assert.Equal(["long", "decimal(18,2)", "date", "timestamp", "string", "boolean"], types);

        var add = JsonDocument.Parse(lines.Single(l => l.StartsWith("{\"add\"", StringComparison.Ordinal))).RootElement.GetProperty("add");
        var stats = JsonDocument.Parse(add.GetProperty("stats").GetString()!).RootElement;
        Assert.Equal(2, stats.GetProperty("numRecords").GetInt64());
        Assert.Equal(2.50m, stats.GetProperty("minValues").GetProperty("amount").GetDecimal());
        Assert.Equal("2026-02-01", stats.GetProperty("maxValues").GetProperty("d").GetString());
        Assert.Equal("2026-01-02T03:04:05.123Z", stats.GetProperty("minValues").GetProperty("ts").GetString());
        Assert.Equal("2026-01-02T03:04:05.124Z", stats.GetProperty("maxValues").GetProperty("ts").GetString());
        Assert.Equal(1, stats.GetProperty("nullCount").GetProperty("id").GetInt64());
        Assert.Equal(1, stats.GetProperty("nullCount").GetProperty("flag").GetInt64());
        Assert.False(stats.GetProperty("minValues").TryGetProperty("flag", out _));
    }

    [Fact]
    public async Task Partitioned_writes_use_hive_folders_and_keep_partition_columns_out_of_the_files()
    {
        using var db = SampleWorkspaceFixture.OpenDuckDb();
        var writer = new DeltaTableWriter(db);
        var table = Path.Combine(_root, "p");
        var result = await writer.WriteAsync(table, "SELECT range AS id, (DATE '2026-01-01' + (range % 3)::INTEGER) AS day FROM range(30)",
            DeltaWriteMode.Create, new("s.p", T0) { PartitionColumns = ["day"] }, CancellationToken.None);

        Assert.Equal(3, result.Added.Length);
        Assert.Equal(["2026-01-01", "2026-01-02", "2026-01-03"], result.Added.Select(a => a.PartitionValues["day"]));
        var first = Path.Combine(table, result.Added[0].Path);
        var columns = SampleWorkspaceFixture.Rows(db, $"DESCRIBE SELECT * FROM read_parquet('{first}', hive_partitioning = false)").Select(r => (string)r[0]!);
        Assert.Equal(["id"], columns);
    }

    [Fact]
    public async Task Replace_removes_only_the_selected_files_and_a_checkpoint_lists_live_files_and_tombstones()
    {
        using var db = SampleWorkspaceFixture.OpenDuckDb();
        var writer = new DeltaTableWriter(db);
        var table = Path.Combine(_root, "r");
        await writer.WriteAsync(table, "SELECT 1 AS id", DeltaWriteMode.Create, new("s.r", T0), CancellationToken.None);
        var bad = await writer.WriteAsync(table, "SELECT 2 AS id", DeltaWriteMode.Append, new("s.r", T0.AddHours(1)), CancellationToken.None);
        var badPath = bad.Added.Single().Path;
        var fixedUp = await writer.ReplaceAsync(table, f => f.Path == badPath, "SELECT 3 AS id", new("s.r", T0.AddHours(2)), CancellationToken.None);
        var version = await writer.WriteCheckpointAsync(table, CancellationToken.None);

        Assert.Equal([badPath], fixedUp.Removed);
        Assert.Equal(2, version);
        var checkpoint = Path.Combine(table, "_delta_log", "00000000000000000002.checkpoint.parquet");
        var adds = SampleWorkspaceFixture.Rows(db, $"SELECT count(add), count(remove) FROM read_parquet('{checkpoint}')").Single();
        Assert.Equal(2L, Convert.ToInt64(adds[0], CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(adds[1], CultureInfo.InvariantCulture));
        Assert.Contains("\"version\":2", File.ReadAllText(Path.Combine(table, "_delta_log", "_last_checkpoint")), StringComparison.Ordinal);
    }
}
