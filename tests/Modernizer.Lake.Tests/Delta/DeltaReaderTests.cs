using System.Globalization;
using Modernizer.Lake.Delta.DeletionVectors;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;
using static Modernizer.Lake.Tests.Delta.DeltaTableBuilder;

namespace Modernizer.Lake.Tests.Delta;

/// <summary>Issue item 1: the Delta reader reads hand-made logs exactly as the protocol says.</summary>
public sealed class DeltaReaderTests : IDisposable
{
    private static readonly string IdValue = Schema(("id", "long", false, null), ("v", "string", true, null));

    private readonly TempDirectory _temp = new();

    private string TablePath => _temp.Combine("t");

    [Fact]
    public async Task Replays_adds_and_removes_from_json_commits()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT range AS id, 'a' AS v FROM range(3)");
        var b = await table.DataFileAsync("b.parquet", "SELECT range + 10 AS id, 'b' AS v FROM range(2)");
        var c = await table.DataFileAsync("c.parquet", "SELECT 100::BIGINT AS id, 'c' AS v");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a.parquet", a));
        table.Commit(1, Add("b.parquet", b));
        table.Commit(2, Remove("a.parquet"), Add("c.parquet", c));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);

        Assert.Equal(TableFormat.Delta, snapshot.Format);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(["b.parquet", "c.parquet"], snapshot.Files.Select(f => f.Path));
        Assert.Equal([10L, 11L, 100L], await IdsAsync(snapshot));
        Assert.Equal("long", snapshot.Schema[0].Type.SparkSql);
        Assert.False(snapshot.Schema[0].Nullable);
    }

    [Fact]
    public async Task Time_travel_by_version_reads_the_older_file_set()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT range AS id, 'a' AS v FROM range(3)");
        var b = await table.DataFileAsync("b.parquet", "SELECT 7::BIGINT AS id, 'b' AS v");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a.parquet", a));
        table.Commit(1, Remove("a.parquet"), Add("b.parquet", b));

        var old = await LakeTable.OpenAsync(TablePath, TableVersionSpec.AtVersion(0), CancellationToken.None);

        Assert.Equal(0, old.Version);
        Assert.Equal([0L, 1L, 2L], await IdsAsync(old));
        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, TableVersionSpec.AtVersion(5), CancellationToken.None));
        Assert.Contains("version 5 does not exist; the latest version is 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_travel_by_timestamp_uses_in_commit_timestamps()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        var b = await table.DataFileAsync("b.parquet", "SELECT 2::BIGINT AS id, 'b' AS v");
        var config = new Dictionary<string, string> { ["delta.enableInCommitTimestamps"] = "true", ["delta.inCommitTimestampEnablementVersion"] = "0" };
        table.Commit(0, CommitInfo(1_000_000L), Protocol(3, 7, [], ["inCommitTimestamp"]), Metadata(IdValue, configuration: config), Add("a.parquet", a));
        table.Commit(1, CommitInfo(2_000_000L), Add("b.parquet", b));

        var between = await LakeTable.OpenAsync(TablePath, TableVersionSpec.AtTimestamp(DateTimeOffset.FromUnixTimeMilliseconds(1_500_000)), CancellationToken.None);
        var after = await LakeTable.OpenAsync(TablePath, TableVersionSpec.AtTimestamp(DateTimeOffset.FromUnixTimeMilliseconds(2_000_000)), CancellationToken.None);

        Assert.Equal(0, between.Version);
        Assert.Equal(1, after.Version);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(2_000_000), after.Timestamp);
        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, TableVersionSpec.AtTimestamp(DateTimeOffset.FromUnixTimeMilliseconds(10)), CancellationToken.None));
        Assert.Contains("before the earliest available commit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partition_values_come_from_the_log_typed_and_empty_means_null()
    {
        var schema = Schema(("id", "long", false, null), ("day", "date", true, null), ("n", "integer", true, null));
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("day=2024-01-02/n=5/a.parquet", "SELECT 1::BIGINT AS id");
        var b = await table.DataFileAsync("whatever/b.parquet", "SELECT 2::BIGINT AS id");
        table.Commit(0, Protocol(), Metadata(schema, ["day", "n"]),
            Add("day=2024-01-02/n=5/a.parquet", a, new() { ["day"] = "2024-01-02", ["n"] = "5" }),
            Add("whatever/b.parquet", b, new() { ["day"] = "", ["n"] = null }));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        await using var engine = await EngineFor(snapshot);
        var result = await engine.QueryAsync($"SELECT id, day, n, typeof(day), typeof(n) FROM {DuckDbRelation.Render(snapshot)} ORDER BY id", null, CancellationToken.None);

        Assert.Equal(new DateOnly(2024, 1, 2), result.Rows[0][1]);
        Assert.Equal(5, result.Rows[0][2]);
        Assert.Equal("DATE", result.Rows[0][3]);
        Assert.Equal("INTEGER", result.Rows[0][4]);
        Assert.Null(result.Rows[1][1]);
        Assert.Null(result.Rows[1][2]);
    }

    [Fact]
    public async Task A_classic_checkpoint_replaces_the_commits_before_it()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT range AS id, 'a' AS v FROM range(2)");
        var b = await table.DataFileAsync("b.parquet", "SELECT 5::BIGINT AS id, 'b' AS v");
        await table.ParquetActionsAsync("00000000000000000003.checkpoint.parquet", Protocol(), Metadata(IdValue), Add("a.parquet", a), Remove("gone.parquet"));
        table.Commit(4, Add("b.parquet", b));
        File.WriteAllText(Path.Combine(table.LogPath, "_last_checkpoint"), "{\"version\":3,\"size\":4}");

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);

        Assert.Equal(4, snapshot.Version);
        Assert.Equal([0L, 1L, 5L], await IdsAsync(snapshot));
        Assert.Empty(snapshot.Warnings);
    }

    [Fact]
    public async Task A_multi_part_checkpoint_is_read_whole_and_ignored_when_a_part_is_missing()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        var b = await table.DataFileAsync("b.parquet", "SELECT 2::BIGINT AS id, 'b' AS v");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a.parquet", a));
        table.Commit(1, Add("b.parquet", b));
        await table.ParquetActionsAsync("00000000000000000001.checkpoint.0000000001.0000000002.parquet", Protocol(), Metadata(IdValue), Add("a.parquet", a));
        await table.ParquetActionsAsync("00000000000000000001.checkpoint.0000000002.0000000002.parquet", Add("b.parquet", b));
        File.Delete(Path.Combine(table.LogPath, "00000000000000000000.json"));

        Assert.Equal([1L, 2L], await IdsAsync(await LakeTable.OpenAsync(TablePath, null, CancellationToken.None)));

        File.Delete(Path.Combine(table.LogPath, "00000000000000000001.checkpoint.0000000002.0000000002.parquet"));
        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("00000000000000000000.json is missing and there is no checkpoint before it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_v2_checkpoint_reads_its_sidecars()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        var b = await table.DataFileAsync("b.parquet", "SELECT 2::BIGINT AS id, 'b' AS v");
        await table.ParquetActionsAsync("_sidecars/3a0d65cd-4056-49b8-937b-95f9e3ee90e5.parquet", Add("a.parquet", a), Add("b.parquet", b));
        File.WriteAllLines(Path.Combine(table.LogPath, "00000000000000000002.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json"),
        [
            "{\"checkpointMetadata\":{\"version\":2}}",
            "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"v2Checkpoint\"],\"writerFeatures\":[\"v2Checkpoint\"]}}",
            System.Text.Json.JsonSerializer.Serialize(Metadata(IdValue)),
            "{\"sidecar\":{\"path\":\"3a0d65cd-4056-49b8-937b-95f9e3ee90e5.parquet\",\"sizeInBytes\":1,\"modificationTime\":1}}",
        ]);

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);

        Assert.Equal(2, snapshot.Version);
        Assert.Equal([1L, 2L], await IdsAsync(snapshot));

        File.Delete(Path.Combine(table.LogPath, "_sidecars", "3a0d65cd-4056-49b8-937b-95f9e3ee90e5.parquet"));
        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("sidecar", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parquet_v2_checkpoint_reads_its_sidecar_actions()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        var b = await table.DataFileAsync("b.parquet", "SELECT 2::BIGINT AS id, 'b' AS v");
        var c = await table.DataFileAsync("c.parquet", "SELECT 3::BIGINT AS id, 'c' AS v");
        await table.ParquetActionsAsync("_sidecars/016ae953-37a9-438e-8683-9a9a4a79a395.parquet", Add("a.parquet", a), Add("b.parquet", b));
        await table.ParquetActionsAsync(
            "00000000000000000005.checkpoint.7d17ac10-5cc3-401b-bd1a-9c82dd2ea032.parquet",
            new { checkpointMetadata = new { version = 5L } },
            Protocol(3, 7, ["v2Checkpoint"], ["v2Checkpoint"]),
            Metadata(IdValue),
            new { sidecar = new { path = "016ae953-37a9-438e-8683-9a9a4a79a395.parquet", sizeInBytes = 1L, modificationTime = 1L } });
        table.Commit(6, Remove("a.parquet"), Add("c.parquet", c));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);

        Assert.Equal(6, snapshot.Version);
        Assert.Equal([2L, 3L], await IdsAsync(snapshot));
    }

    [Fact]
    public async Task A_stale_last_checkpoint_hint_falls_back_to_the_listing()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a.parquet", a));
        File.WriteAllText(Path.Combine(table.LogPath, "_last_checkpoint"), "{\"version\":0,\"size\":3}");

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);

        Assert.Equal([1L], await IdsAsync(snapshot));
        Assert.Contains(snapshot.Warnings, w => w.Contains("_last_checkpoint points at version 0", StringComparison.Ordinal));

        File.WriteAllText(Path.Combine(table.LogPath, "_last_checkpoint"), "{not json");
        var again = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        Assert.Contains(again.Warnings, w => w.Contains("_last_checkpoint is unreadable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Column_mapping_by_name_reads_physical_columns_under_logical_names()
    {
        var schema = Schema(
            ("id", "long", false, "{\"delta.columnMapping.id\":1,\"delta.columnMapping.physicalName\":\"col-1a\"}"),
            ("info", "{\"type\":\"struct\",\"fields\":[{\"name\":\"city\",\"type\":\"string\",\"nullable\":true,\"metadata\":{\"delta.columnMapping.id\":3,\"delta.columnMapping.physicalName\":\"col-3c\"}}]}", true,
                "{\"delta.columnMapping.id\":2,\"delta.columnMapping.physicalName\":\"col-2b\"}"),
            ("part", "string", true, "{\"delta.columnMapping.id\":4,\"delta.columnMapping.physicalName\":\"col-4d\"}"));
        var config = new Dictionary<string, string> { ["delta.columnMapping.mode"] = "name", ["delta.columnMapping.maxColumnId"] = "4" };
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS \"col-1a\", {'col-3c': 'Oslo'} AS \"col-2b\"");
        table.Commit(0, Protocol(2, 5), Metadata(schema, ["part"], config), Add("a.parquet", a, new() { ["col-4d"] = "x" }));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        await using var engine = await EngineFor(snapshot);
        var result = await engine.QueryAsync($"SELECT id, info.city AS city, part FROM {DuckDbRelation.Render(snapshot)}", null, CancellationToken.None);

        Assert.Equal(ColumnMappingMode.Name, snapshot.ColumnMapping);
        Assert.Equal("x", snapshot.Files[0].PartitionValues["part"]);
        Assert.Equal(1L, result.Rows[0][0]);
        Assert.Equal("Oslo", result.Rows[0][1]);
        Assert.Equal("x", result.Rows[0][2]);
    }

    [Fact]
    public async Task Column_mapping_by_id_mode_resolves_columns_by_parquet_field_id()
    {
        var schema = Schema(
            ("id", "long", false, "{\"delta.columnMapping.id\":1,\"delta.columnMapping.physicalName\":\"col-9z\"}"),
            ("added", "string", true, "{\"delta.columnMapping.id\":3,\"delta.columnMapping.physicalName\":\"col-3x\"}"));
        var config = new Dictionary<string, string> { ["delta.columnMapping.mode"] = "id" };
        await using var table = await CreateAsync(TablePath);
        // The file names its column differently; only the field id ties it to the table column.
        await using (var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(TablePath), CancellationToken.None))
        {
            await engine.ExecuteAsync($"COPY (SELECT 41::BIGINT AS legacy_name) TO '{Path.Combine(TablePath, "a.parquet")}' (FORMAT parquet, FIELD_IDS {{legacy_name: 1}})", null, CancellationToken.None);
        }

        table.Commit(0, Protocol(3, 7, ["columnMapping"], ["columnMapping"]), Metadata(schema, null, config), Add("a.parquet", new FileInfo(Path.Combine(TablePath, "a.parquet")).Length));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        await using var reader = await EngineFor(snapshot);
        var result = await reader.QueryAsync($"SELECT id, added FROM {DuckDbRelation.Render(snapshot)}", null, CancellationToken.None);

        Assert.Equal(ColumnMappingMode.Id, snapshot.ColumnMapping);
        Assert.Equal(1L, snapshot.Schema[0].FieldId);
        Assert.Equal(41L, result.Rows[0][0]);
        Assert.Null(result.Rows[0][1]);
    }

    [Fact]
    public async Task Deletion_vectors_inline_relative_and_absolute_remove_their_rows()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT range AS id, 'a' AS v FROM range(40)");
        var b = await table.DataFileAsync("b.parquet", "SELECT range + 100 AS id, 'b' AS v FROM range(10)");
        var c = await table.DataFileAsync("c.parquet", "SELECT range + 200 AS id, 'c' AS v FROM range(10)");
        // 'u': prefix "ab" + Z85 of the UUID d2c639aa-8816-431a-aaf6-d3fe2512ff61 (the protocol's example).
        var placements = table.DeletionVectorFile("ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", [0, 1, 9], [5]);
        var absolute = _temp.Combine("elsewhere", "dv.bin");
        await using (var other = await CreateAsync(_temp.Combine("elsewhere")))
        {
            other.DeletionVectorFile("dv.bin", [2, 3]);
        }

        var inline = new { storageType = "i", pathOrInlineDv = "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", sizeInBytes = 40, cardinality = 6L };
        var relative = new { storageType = "u", pathOrInlineDv = "ab^-aqEH.-t@S}K{vb[*k^", offset = placements[0].Offset, sizeInBytes = placements[0].Size, cardinality = 3L };
        var absoluteDv = new { storageType = "p", pathOrInlineDv = new Uri(absolute).AbsoluteUri, offset = 1, sizeInBytes = RoaringEncoder.Portable([2, 3]).Length, cardinality = 2L };
        table.Commit(0, Protocol(3, 7, ["deletionVectors"], ["deletionVectors"]), Metadata(IdValue),
            Add("a.parquet", a, deletionVector: inline, numRecords: 40),
            Add("b.parquet", b, deletionVector: relative, numRecords: 10),
            Add("c.parquet", c, deletionVector: absoluteDv, numRecords: 10));

        // The absolute DV lies outside the table: read only because its folder is allowed.
        var refused = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("outside the table folder", refused.Message, StringComparison.Ordinal);
        var snapshot = await LakeTable.OpenAsync(TablePath, null, new LakeTableOptions { AllowedRoots = [_temp.Combine("elsewhere")] }, CancellationToken.None);
        var ids = await IdsAsync(snapshot);

        Assert.Equal(40 - 6 + 10 - 3 + 10 - 2, ids.Count);
        Assert.DoesNotContain(3L, ids);
        Assert.DoesNotContain(29L, ids);
        Assert.Contains(30L, ids);
        Assert.DoesNotContain(100L, ids);
        Assert.DoesNotContain(109L, ids);
        Assert.DoesNotContain(202L, ids);
        Assert.Contains(204L, ids);
    }

    [Fact]
    public async Task A_deletion_vector_replaced_in_a_later_commit_is_the_one_applied()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT range AS id, 'a' AS v FROM range(5)");
        var first = table.DeletionVectorFile("deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", [0]);
        var dv1 = new { storageType = "u", pathOrInlineDv = "^-aqEH.-t@S}K{vb[*k^", offset = first[0].Offset, sizeInBytes = first[0].Size, cardinality = 1L };
        var dv2 = new { storageType = "i", pathOrInlineDv = InlineDv([0, 4]), sizeInBytes = RoaringEncoder.Portable([0, 4]).Length, cardinality = 2L };
        table.Commit(0, Protocol(3, 7, ["deletionVectors"], ["deletionVectors"]), Metadata(IdValue), Add("a.parquet", a, deletionVector: dv1, numRecords: 5));
        table.Commit(1, Remove("a.parquet", dv1), Add("a.parquet", a, deletionVector: dv2, numRecords: 5));

        Assert.Equal([1L, 2L, 3L], await IdsAsync(await LakeTable.OpenAsync(TablePath, null, CancellationToken.None)));
        Assert.Equal([1L, 2L, 3L, 4L], await IdsAsync(await LakeTable.OpenAsync(TablePath, TableVersionSpec.AtVersion(0), CancellationToken.None)));
    }

    [Fact]
    public async Task A_corrupt_deletion_vector_file_is_refused_by_its_checksum()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT range AS id, 'a' AS v FROM range(5)");
        var placements = table.DeletionVectorFile("deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", [1, 2]);
        var path = Path.Combine(TablePath, "deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
        var bytes = File.ReadAllBytes(path);
        bytes[placements[0].Offset + 4 + 20] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        var dv = new { storageType = "u", pathOrInlineDv = "^-aqEH.-t@S}K{vb[*k^", offset = placements[0].Offset, sizeInBytes = placements[0].Size, cardinality = 2L };
        table.Commit(0, Protocol(3, 7, ["deletionVectors"], ["deletionVectors"]), Metadata(IdValue), Add("a.parquet", a, deletionVector: dv, numRecords: 5));

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("CRC-32", error.Message, StringComparison.Ordinal);

        File.Delete(path);
        var missing = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("deletion vector file", missing.Message, StringComparison.Ordinal);
        Assert.Contains("is missing", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("typeWidening", "reader feature 'typeWidening', which this reader does not implement")]
    [InlineData("someFutureFeature", "reader feature 'someFutureFeature', which this reader does not implement")]
    [InlineData("catalogManaged", "catalog-managed table")]
    public async Task Unknown_reader_features_and_catalog_managed_tables_are_refused(string feature, string expected)
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        table.Commit(0, Protocol(3, 7, [feature], [feature]), Metadata(IdValue), Add("a.parquet", a));

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(TablePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_version_above_three_is_refused()
    {
        await using var table = await CreateAsync(TablePath);
        table.Commit(0, Protocol(4, 7), Metadata(IdValue));
        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("reader version 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_and_missing_log_files_give_clear_errors()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a.parquet", a));
        File.WriteAllText(Path.Combine(table.LogPath, "00000000000000000001.json"), "{\"add\":{\"path\":\"b.parquet\"\n");
        var corrupt = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("00000000000000000001.json line 1 is not valid JSON", corrupt.Message, StringComparison.Ordinal);

        table.Commit(1, Add("missing.parquet", 10));
        var missingData = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("data file 'missing.parquet' is in the log but missing on disk", missingData.Message, StringComparison.Ordinal);

        table.Commit(3, Remove("missing.parquet"));
        var gap = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("commit 00000000000000000002.json is missing", gap.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(table.LogPath, "00000000000000000003.checkpoint.parquet"), "not parquet");
        var badCheckpoint = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("checkpoint 00000000000000000003.checkpoint.parquet cannot be read", badCheckpoint.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(table.LogPath, "00000000000000000004.json"), "{\"add\":{\"path\":\"x.parquet\"}}");
        File.Delete(Path.Combine(table.LogPath, "00000000000000000003.checkpoint.parquet"));
        table.Commit(2);
        var lacking = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("lacks its required field 'size'", lacking.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_data_file_or_truncated_deletion_vector_file_gives_a_clear_error()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT range AS id, 'a' AS v FROM range(5)");
        File.WriteAllText(Path.Combine(TablePath, "b.parquet"), "this is not parquet");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a.parquet", a), Add("b.parquet", 19));
        var corrupt = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("cannot be read as Parquet", corrupt.Message, StringComparison.Ordinal);

        var placements = table.DeletionVectorFile("deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin", [1, 2]);
        var dvPath = Path.Combine(TablePath, "deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
        File.WriteAllBytes(dvPath, File.ReadAllBytes(dvPath)[..10]);
        var dv = new { storageType = "u", pathOrInlineDv = "^-aqEH.-t@S}K{vb[*k^", offset = placements[0].Offset, sizeInBytes = placements[0].Size, cardinality = 2L };
        table.Commit(1, Remove("b.parquet"), Remove("a.parquet"), Add("a.parquet", a, deletionVector: dv, numRecords: 5));
        var truncated = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("does not fit (truncated file?)", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_travel_by_timestamp_uses_commit_file_times_without_in_commit_timestamps()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        var b = await table.DataFileAsync("b.parquet", "SELECT 2::BIGINT AS id, 'b' AS v");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a.parquet", a));
        table.Commit(1, Add("b.parquet", b));
        var t0 = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(table.LogPath, "00000000000000000000.json"), t0);
        File.SetLastWriteTimeUtc(Path.Combine(table.LogPath, "00000000000000000001.json"), t0.AddHours(1));

        var at = await LakeTable.OpenAsync(TablePath, TableVersionSpec.AtTimestamp(new DateTimeOffset(t0.AddMinutes(30))), CancellationToken.None);

        Assert.Equal(0, at.Version);
        Assert.Equal([1L], await IdsAsync(at));
    }

    [Fact]
    public async Task Folders_without_a_table_are_refused()
    {
        Directory.CreateDirectory(_temp.Combine("empty"));
        var none = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(_temp.Combine("empty"), null, CancellationToken.None));
        Assert.Contains("neither a Delta table", none.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(_temp.Combine("nope"), null, CancellationToken.None));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(_temp.Combine("emptylog", "_delta_log"));
        var emptyLog = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(_temp.Combine("emptylog"), null, CancellationToken.None));
        Assert.Contains("no commit and no checkpoint", emptyLog.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_parquet_folder_with_hive_partitions_is_a_table()
    {
        await using var table = await CreateAsync(TablePath);
        await table.DataFileAsync("year=2023/a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        await table.DataFileAsync("year=2024/b.parquet", "SELECT 2::BIGINT AS id, 'b' AS v");
        await table.DataFileAsync("_ignored/c.parquet", "SELECT 3::BIGINT AS id, 'c' AS v");
        Directory.Delete(table.LogPath);

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        await using var engine = await EngineFor(snapshot);
        var result = await engine.QueryAsync($"SELECT sum(id)::BIGINT, sum(year)::BIGINT, typeof(any_value(year)) FROM {DuckDbRelation.Render(snapshot)}", null, CancellationToken.None);

        Assert.Equal(TableFormat.Parquet, snapshot.Format);
        Assert.Null(snapshot.Version);
        Assert.Equal(["id", "v", "year"], snapshot.Schema.Select(f => f.Name));
        Assert.Equal(3m, Convert.ToDecimal(result.Rows[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(4047m, Convert.ToDecimal(result.Rows[0][1], CultureInfo.InvariantCulture));
        Assert.Equal("BIGINT", result.Rows[0][2]);
        await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, TableVersionSpec.AtVersion(0), CancellationToken.None));
    }

    [Fact]
    public async Task A_column_added_after_the_files_were_written_reads_as_null()
    {
        var schema = Schema(("id", "long", false, null), ("added", "decimal(10,2)", true, null));
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::INTEGER AS id");
        table.Commit(0, Protocol(), Metadata(schema), Add("a.parquet", a));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        await using var engine = await EngineFor(snapshot);
        var result = await engine.QueryAsync($"SELECT typeof(id), added, typeof(added) FROM {DuckDbRelation.Render(snapshot)}", null, CancellationToken.None);

        Assert.Equal("BIGINT", result.Rows[0][0]);
        Assert.Null(result.Rows[0][1]);
        Assert.Equal("DECIMAL(10,2)", result.Rows[0][2]);
    }

    [Fact]
    public void DuckDb_nested_types_map_back_to_spark_types()
    {
        var type = DuckDbTypes.ToSpark("STRUCT(\"a b\" INTEGER, c DECIMAL(12,2)[], m MAP(VARCHAR, TIMESTAMP WITH TIME ZONE))");
        Assert.Equal("struct<a b:integer,c:array<decimal(12,2)>,m:map<string,timestamp>>", type.SparkSql);
        Assert.Equal("STRUCT(\"a b\" INTEGER, \"c\" DECIMAL(12,2)[], \"m\" MAP(VARCHAR, TIMESTAMP WITH TIME ZONE))", DuckDbTypes.FromSpark(type));
    }

    public void Dispose() => _temp.Dispose();

    internal static Task<DuckDbEngine> EngineFor(TableSnapshot snapshot) =>
        DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(snapshot.TablePath), CancellationToken.None);

    internal static async Task<List<long>> IdsAsync(TableSnapshot snapshot)
    {
        await using var engine = await EngineFor(snapshot);
        var result = await engine.QueryAsync($"SELECT id FROM {DuckDbRelation.Render(snapshot)} ORDER BY id", null, CancellationToken.None);
        return [.. result.Rows.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture))];
    }

    private static string InlineDv(long[] rows)
    {
        var bytes = RoaringEncoder.Portable(rows);
        var padded = new byte[(bytes.Length + 3) / 4 * 4];
        bytes.CopyTo(padded, 0);
        return Z85.Encode(padded);
    }
}
