using System.Globalization;
using System.Text.Json;
using Modernizer.Lake.Delta.Writing;

namespace Modernizer.Samples.Tests;

/// <summary>Deliverable 2 and 5: every Delta table's log is valid and consistent with its files.</summary>
[Collection(SampleWorkspaceCollection.Name)]
public sealed class DeltaLakeTests(SampleWorkspaceFixture sample)
{
    private IEnumerable<string> Tables =>
        Directory.EnumerateDirectories(Path.Combine(sample.Workspace, "lake"), "_delta_log", SearchOption.AllDirectories)
            .Select(d => Path.GetDirectoryName(d)!)
            .Order(StringComparer.Ordinal);

    [Fact]
    public void The_lake_holds_the_raw_tables_of_the_issue()
    {
        var raw = Directory.EnumerateDirectories(Path.Combine(sample.Workspace, "lake", "raw")).Select(Path.GetFileName).ToHashSet();
        Assert.Superset(new HashSet<string> { "customers", "orders", "order_lines", "products", "payments", "fx_rates", "stores", "inventory_snapshots", "web_events" }, raw!);
        Assert.True(Directory.EnumerateDirectories(Path.Combine(sample.Workspace, "lake", "curated")).Count() >= 12);
    }

    [Fact]
    public async Task Every_log_is_contiguous_starts_with_protocol_and_metadata_and_matches_its_files()
    {
        using var db = SampleWorkspaceFixture.OpenDuckDb();
        foreach (var table in Tables)
        {
            var commits = Directory.EnumerateFiles(Path.Combine(table, "_delta_log"), "*.json").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(
                Enumerable.Range(0, commits.Count).Select(v => v.ToString("D20", CultureInfo.InvariantCulture) + ".json"),
                commits.Select(Path.GetFileName));
            var first = File.ReadAllLines(commits[0]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Contains(first, a => a.TryGetProperty("protocol", out _));
            var meta = first.Single(a => a.TryGetProperty("metaData", out _)).GetProperty("metaData");
            var fields = JsonDocument.Parse(meta.GetProperty("schemaString").GetString()!).RootElement.GetProperty("fields");
            Assert.True(fields.GetArrayLength() > 0);
            Assert.All(commits, c => Assert.Contains(File.ReadAllLines(c), l => l.StartsWith("{\"commitInfo\":{\"timestamp\":", StringComparison.Ordinal)));

            var state = await DeltaCommitLog.ReadAsync(table, CancellationToken.None);
            Assert.NotNull(state);
            foreach (var file in state.Files)
            {
                var path = Path.Combine(table, file.Path);
                Assert.True(File.Exists(path), $"{table}: {file.Path} is in the log but not on disk");
                Assert.Equal(new FileInfo(path).Length, file.Size);
                var stats = JsonDocument.Parse(file.Stats!).RootElement;
                var rows = Convert.ToInt64(SampleWorkspaceFixture.Scalar(db, $"SELECT count(*) FROM read_parquet('{path}', hive_partitioning = false)"), CultureInfo.InvariantCulture);
                Assert.Equal(rows, stats.GetProperty("numRecords").GetInt64());
                foreach (var (column, value) in file.PartitionValues)
                {
                    Assert.Contains($"{column}={value}/", file.Path, StringComparison.Ordinal);
                }
            }

            // every data file on disk is either live or a tombstone: nothing unaccounted for
            var known = state.Files.Select(f => f.Path).Concat(state.Tombstones.Select(t => t.Path)).ToHashSet(StringComparer.Ordinal);
            var onDisk = Directory.EnumerateFiles(table, "*.parquet", SearchOption.AllDirectories)
                .Where(f => !f.Contains("_delta_log", StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(table, f).Replace('\\', '/'));
            Assert.All(onDisk, f => Assert.Contains(f, known));
        }
    }

    [Fact]
    public async Task Stats_bound_the_data_of_each_file()
    {
        using var db = SampleWorkspaceFixture.OpenDuckDb();
        var state = (await DeltaCommitLog.ReadAsync(Path.Combine(sample.Workspace, "lake", "raw", "orders"), CancellationToken.None))!;
        foreach (var file in state.Files)
        {
            var stats = JsonDocument.Parse(file.Stats!).RootElement;
            var path = Path.Combine(sample.Workspace, "lake", "raw", "orders", file.Path);
            var row = SampleWorkspaceFixture.Rows(db,
                $"SELECT min(order_id), max(order_id), count(*) - count(customer_id), min(total_amount)::VARCHAR FROM read_parquet('{path}')").Single();
            Assert.Equal(Convert.ToInt64(row[0], CultureInfo.InvariantCulture), stats.GetProperty("minValues").GetProperty("order_id").GetInt64());
            Assert.Equal(Convert.ToInt64(row[1], CultureInfo.InvariantCulture), stats.GetProperty("maxValues").GetProperty("order_id").GetInt64());
            Assert.Equal(Convert.ToInt64(row[2], CultureInfo.InvariantCulture), stats.GetProperty("nullCount").GetProperty("customer_id").GetInt64());
            Assert.Equal(decimal.Parse((string)row[3]!, CultureInfo.InvariantCulture), stats.GetProperty("minValues").GetProperty("total_amount").GetDecimal());
        }
    }

    [Fact]
    public async Task Orders_has_three_versions_with_a_remove_and_a_checkpoint()
    {
        var orders = Path.Combine(sample.Workspace, "lake", "raw", "orders");
        var state = (await DeltaCommitLog.ReadAsync(orders, CancellationToken.None))!;
        Assert.True(state.Version >= 2);
        Assert.NotEmpty(state.Tombstones);
        Assert.Contains(File.ReadAllLines(Path.Combine(orders, "_delta_log", "00000000000000000002.json")), l => l.StartsWith("{\"remove\":", StringComparison.Ordinal));

        var last = JsonDocument.Parse(File.ReadAllText(Path.Combine(orders, "_delta_log", "_last_checkpoint"))).RootElement;
        var version = last.GetProperty("version").GetInt64();
        var checkpoint = Path.Combine(orders, "_delta_log", version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet");
        using var db = SampleWorkspaceFixture.OpenDuckDb();
        var counts = SampleWorkspaceFixture.Rows(db,
            $"SELECT count(*), count(add), count(remove), count(metaData), count(protocol) FROM read_parquet('{checkpoint}')").Single()
            .Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(last.GetProperty("size").GetInt64(), counts[0]);
        Assert.Equal(state.Files.Length, counts[1]);
        Assert.Equal(state.Tombstones.Length, counts[2]);
        Assert.Equal(1, counts[3]);
        Assert.Equal(1, counts[4]);
        var paths = SampleWorkspaceFixture.Rows(db, $"SELECT add.path FROM read_parquet('{checkpoint}') WHERE add IS NOT NULL ORDER BY 1").Select(r => (string)r[0]!);
        Assert.Equal(state.Files.Select(f => f.Path).Order(StringComparer.Ordinal), paths);
    }

    [Fact]
    public async Task Web_events_is_partitioned_by_event_date_in_hive_folders()
    {
        var table = Path.Combine(sample.Workspace, "lake", "raw", "web_events");
        var state = (await DeltaCommitLog.ReadAsync(table, CancellationToken.None))!;
        Assert.Equal(["event_date"], state.PartitionColumns.ToArray());
        Assert.True(state.Files.Length >= 20);
        Assert.All(state.Files, f => Assert.StartsWith("event_date=" + f.PartitionValues["event_date"] + "/", f.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Curated_tables_with_history_keep_their_first_version_as_tombstones()
    {
        foreach (var name in new[] { "dim_customer", "orders_clean" })
        {
            var state = (await DeltaCommitLog.ReadAsync(Path.Combine(sample.Workspace, "lake", "curated", name), CancellationToken.None))!;
            Assert.Equal(1, state.Version);
            Assert.Single(state.Tombstones);
        }
    }
}
