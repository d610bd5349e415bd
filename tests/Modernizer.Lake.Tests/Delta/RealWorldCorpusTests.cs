using System.Text.Json;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Profiling;
using Modernizer.Lake.Tables;
using static Modernizer.Lake.Tests.Delta.DeltaTableBuilder;
using static Modernizer.Lake.Tests.Delta.SparkLayout;

namespace Modernizer.Lake.Tests.Delta;

/// <summary>A small corpus of tables shaped like the ones Spark, Databricks and the Delta projects
/// publish: partition folders with Spark's exact escaped names, paths with URI-special characters,
/// map and nested columns, a Delta Live Tables log, protocol edge cases and a shallow clone. Each
/// table is opened and profiled end to end (profile.json written) or refused with the reason.</summary>
public sealed class RealWorldCorpusTests : IDisposable
{
    private const string Uuid = "b9dc86ae-0134-4363-bd87-19cfb3403e9a";

    private readonly TempDirectory _temp = new();

    private string Table(string name) => _temp.Combine("corpus", name);

    [Fact]
    public async Task Typed_partition_values_with_escaped_timestamps_and_hive_nulls()
    {
        var schema = Schema(
            ("value", "string", true, null),
            ("as_int", "integer", true, null),
            ("as_date", "date", true, null),
            ("as_timestamp", "timestamp", true, null),
            ("as_string", "string", true, null),
            ("as_big_decimal", "decimal(38,0)", true, null));
        string[] partitions = ["as_int", "as_date", "as_timestamp", "as_string", "as_big_decimal"];
        await using var table = await CreateAsync(Table("partition-values"));
        var rows = new (string? Int, string? Date, string? Ts, string? Str, string? Dec)[]
        {
            ("0", "2021-09-08", "2021-09-08 11:11:11", "0", "0"),
            ("1", "2021-09-08", "2021-09-08 11:11:11", "a/b:c", "1"),
            (null, null, null, null, null),
        };
        var adds = new List<object>();
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            var folder = string.Join('/', PartitionFolder("as_int", r.Int), PartitionFolder("as_date", r.Date), PartitionFolder("as_timestamp", r.Ts), PartitionFolder("as_string", r.Str), PartitionFolder("as_big_decimal", r.Dec));
            var file = $"{folder}/part-0000{i}-{Uuid}.c000.snappy.parquet";
            var size = await table.DataFileAsync(file, $"SELECT 'row{i}' AS value");
            adds.Add(Add(LogPath(file), size, new Dictionary<string, string?> { ["as_int"] = r.Int, ["as_date"] = r.Date, ["as_timestamp"] = r.Ts, ["as_string"] = r.Str, ["as_big_decimal"] = r.Dec }, numRecords: 1));
        }

        table.Commit(0, [Protocol(), Metadata(schema, partitions), .. adds]);

        var (snapshot, profile) = await OpenAndProfileAsync(Table("partition-values"));

        Assert.Contains(snapshot.Files, f => f.FullPath.Contains("/as_timestamp=2021-09-08 11%3A11%3A11/as_string=a%2Fb%3Ac/", StringComparison.Ordinal));
        Assert.Contains(snapshot.Files, f => f.FullPath.Contains("/as_int=__HIVE_DEFAULT_PARTITION__/", StringComparison.Ordinal));
        Assert.Equal(3, profile.Rows);
        Assert.Equal((2L, 1L), Column(profile, "as_string").CountAndNulls);
        Assert.Equal("a/b:c", Column(profile, "as_string").Profile.Max!.GetValue<string>());
        Assert.StartsWith("2021-09-08T11:11:11", Column(profile, "as_timestamp").Profile.Min!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escaped_characters_across_commits_like_the_golden_escaped_chars_table()
    {
        var schema = Schema(("_1", "string", true, null), ("_2", "string", true, null));
        await using var table = await CreateAsync(Table("escaped-chars"));
        string[] values = ["bar+%21", "bar+%22", "bar+%23"];
        for (var v = 0; v < values.Length; v++)
        {
            var file = $"{PartitionFolder("_2", values[v])}/part-00000-af08f887-922f-4c31-82a7-8e142c4280a{v}.c000.snappy.parquet";
            var size = await table.DataFileAsync(file, $"SELECT 'foo{v}' AS _1");
            table.Commit(v, v == 0
                ? [CommitInfo(), Protocol(), Metadata(schema, ["_2"]), Add(LogPath(file), size, new Dictionary<string, string?> { ["_2"] = values[v] })]
                : [CommitInfo(), Add(LogPath(file), size, new Dictionary<string, string?> { ["_2"] = values[v] })]);
        }

        var (snapshot, profile) = await OpenAndProfileAsync(Table("escaped-chars"));

        Assert.Equal(["_2=bar+%2521", "_2=bar+%2522", "_2=bar+%2523"], snapshot.Files.Select(f => Path.GetFileName(Path.GetDirectoryName(f.FullPath))));
        Assert.Equal(3, Column(profile, "_2").Profile.Distinct);
        Assert.Equal("bar+%21", Column(profile, "_2").Profile.Min!.GetValue<string>());
    }

    [Fact]
    public async Task Spaces_equals_and_percent_in_partition_values_and_special_file_names()
    {
        var schema = Schema(("c1", "integer", true, null), ("c2", "string", true, null));
        await using var table = await CreateAsync(Table("special-chars"));
        var adds = new List<object>();
        foreach (var value in new[] { "+ =%0", "+ =%1", "Zürich 東京", " lead and trail " })
        {
            var file = $"{PartitionFolder("c2", value)}/part-00000-88ad45a3-9b80-4e66-b474-1748ba08506{adds.Count}.c000.snappy.parquet";
            var size = await table.DataFileAsync(file, $"SELECT {adds.Count}::INTEGER AS c1");
            adds.Add(Add(LogPath(file), size, new Dictionary<string, string?> { ["c2"] = value }));
        }

        // A non-partitioned file whose own name holds a space, '@' and '#', added then removed (log-replay-special-characters).
        var special = await table.DataFileAsync("special p@#h", "SELECT 99::INTEGER AS c1, 'x' AS c2");
        table.Commit(0, [Protocol(), Metadata(schema, ["c2"]), .. adds, Add(LogPath("special p@#h"), special, new Dictionary<string, string?> { ["c2"] = "x" })]);
        table.Commit(1, Remove(LogPath("special p@#h")));

        var (snapshot, profile) = await OpenAndProfileAsync(Table("special-chars"));

        Assert.Equal("special%20p@%23h", LogPath("special p@#h"));
        Assert.Equal(4, snapshot.Files.Length);
        Assert.Contains(snapshot.Files, f => f.FullPath.EndsWith("/c2=+ %3D%250/part-00000-88ad45a3-9b80-4e66-b474-1748ba085060.c000.snappy.parquet", StringComparison.Ordinal));
        Assert.Equal(4, Column(profile, "c2").Profile.Distinct);
        Assert.Equal(3L, Column(profile, "c1").Profile.Max!.GetValue<long>());
    }

    [Fact]
    public async Task A_delta_live_tables_log_with_maps_and_nested_columns()
    {
        var schema = Schema(
            ("id", "long", true, null),
            ("props", "{\"type\":\"map\",\"keyType\":\"integer\",\"valueType\":\"long\",\"valueContainsNull\":true}", true, null),
            ("lines", "{\"type\":\"array\",\"elementType\":{\"type\":\"struct\",\"fields\":[{\"name\":\"sku\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},{\"name\":\"tags\",\"type\":{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":\"string\",\"valueContainsNull\":true},\"nullable\":true,\"metadata\":{}}]},\"containsNull\":true}", true, null),
            ("addr", "{\"type\":\"struct\",\"fields\":[{\"name\":\"city\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},{\"name\":\"geo\",\"type\":{\"type\":\"struct\",\"fields\":[{\"name\":\"lat\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}}]},\"nullable\":true,\"metadata\":{}}]}", true, null),
            ("ingested_at", "timestamp_ntz", true, null));
        await using var table = await CreateAsync(Table("dlt"));
        var file = $"{PartitionFolder("ingested_at", "2024-03-01 08:15:00")}/part-00000-{Uuid}.c000.snappy.parquet";
        var size = await table.DataFileAsync(file, """
            SELECT * FROM (VALUES
              (1::BIGINT, MAP {1: 10::BIGINT, 2: 20}, [{'sku': 'A', 'tags': MAP {'k': 'v'}}], {'city': 'Oslo', 'geo': {'lat': 59.9}}),
              (2, MAP {}, [], {'city': NULL, 'geo': NULL}),
              (3, NULL, NULL, NULL)
            ) AS v(id, props, lines, addr)
            """);
        table.Commit(0,
            CommitInfo(),
            Protocol(3, 7, ["timestampNtz"], ["timestampNtz", "appendOnly", "invariants"]),
            new { metaData = new { id = "ac0a0120-970e-4d8c-ae92-b5244b055d6e", format = new { provider = "parquet", options = new Dictionary<string, string>() }, partitionColumns = Array.Empty<string>(), configuration = new Dictionary<string, string> { ["pipelines.pipelineId"] = "1f2e" }, createdTime = 1681798577757L } });
        table.Commit(1, CommitInfo(), Metadata(schema, ["ingested_at"], new Dictionary<string, string> { ["pipelines.pipelineId"] = "1f2e" }),
            Add(LogPath(file), size, new Dictionary<string, string?> { ["ingested_at"] = "2024-03-01 08:15:00" }, numRecords: 3));

        var (snapshot, profile) = await OpenAndProfileAsync(Table("dlt"));

        Assert.Equal(1, snapshot.Version);
        Assert.Equal(3, profile.Rows);
        var props = Column(profile, "props").Profile;
        Assert.Equal((2L, 1L, 0L, 2L), (props.Count, props.Nulls, props.Lengths!.Min!.Value, props.Lengths.Max!.Value));
        Assert.Equal((2L, 1L), Column(profile, "lines").CountAndNulls);
        Assert.Equal((1L, 2L), Column(profile, "addr.geo.lat").CountAndNulls);
        Assert.All(profile.Columns, c => Assert.Empty(c.Omitted));
        var first = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(Table("dlt"), TableVersionSpec.AtVersion(0), CancellationToken.None));
        Assert.Contains("has no schemaString", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protocol_edge_cases_are_refused_with_every_reason()
    {
        var schema = Schema(("id", "long", true, null));
        await using (var noList = await CreateAsync(Table("v3-without-features")))
        {
            noList.Commit(0, new { protocol = new { minReaderVersion = 3, minWriterVersion = 7, writerFeatures = new[] { "columnMapping" } } }, Metadata(schema));
        }

        await using (var future = await CreateAsync(Table("future-features")))
        {
            string[] features = ["deletionVectors", "variantType-preview", "typeWidening"];
            future.Commit(0, Protocol(3, 7, features, features), Metadata(schema));
        }

        var noListError = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(Table("v3-without-features"), null, CancellationToken.None));
        Assert.Contains("readerFeatures", noListError.Message, StringComparison.Ordinal);
        var futureError = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(Table("future-features"), null, CancellationToken.None));
        Assert.Contains("'typeWidening', 'variantType-preview'", futureError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shallow_clone_reads_its_source_only_when_the_source_is_allowed()
    {
        var schema = Schema(("id", "long", true, null));
        string sourceFile;
        long size;
        await using (var source = await CreateAsync(Table("source")))
        {
            size = await source.DataFileAsync($"part-00000-{Uuid}.c000.snappy.parquet", "SELECT range AS id FROM range(4)");
            sourceFile = Path.Combine(Table("source"), $"part-00000-{Uuid}.c000.snappy.parquet");
            source.Commit(0, Protocol(), Metadata(schema), Add($"part-00000-{Uuid}.c000.snappy.parquet", size));
        }

        await using (var clone = await CreateAsync(Table("clone")))
        {
            // Spark writes a clone's adds as absolute, qualified URIs of the source's files.
            clone.Commit(0, Protocol(), Metadata(schema), Add("file:" + LogPath(sourceFile), size));
        }

        var refused = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(Table("clone"), null, CancellationToken.None));
        Assert.Contains("outside the table folder", refused.Message, StringComparison.Ordinal);

        var (_, profile) = await OpenAndProfileAsync(Table("clone"), new LakeTableOptions { AllowedRoots = [Table("source")] });
        Assert.Equal(4, profile.Rows);
    }

    private static (ColumnProfile Profile, (long, long) CountAndNulls) Column(TableProfile profile, string name)
    {
        var column = profile.Columns.Single(c => c.Name == name);
        return (column, (column.Count, column.Nulls));
    }

    private async Task<(TableSnapshot Snapshot, TableProfile Profile)> OpenAndProfileAsync(string path, LakeTableOptions? options = null)
    {
        var snapshot = await LakeTable.OpenAsync(path, null, options, CancellationToken.None);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables(snapshot), CancellationToken.None);
        var profile = await TableProfiler.ProfileAsync(snapshot, engine, ProfileOptions.Default, CancellationToken.None);
        var json = _temp.Combine("profiles", Path.GetFileName(path) + ".json");
        await ProfileWriter.WriteJsonAsync(profile, json, CancellationToken.None);
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(profile.Rows, written.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal(snapshot.Schema.Length > 0, written.RootElement.GetProperty("columns").GetArrayLength() > 0);
        return (snapshot, profile);
    }

    public void Dispose() => _temp.Dispose();
}
