using System.Globalization;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;
using static Modernizer.Lake.Tests.Delta.DeltaTableBuilder;
using static Modernizer.Lake.Tests.Delta.SparkLayout;

namespace Modernizer.Lake.Tests.Delta;

/// <summary>Paths in the log are URI-encoded once; the folders on disk keep Spark's Hive escapes.
/// The reader decodes exactly once, so it reads the folder Spark wrote and never a look-alike.</summary>
public sealed class EscapedPartitionPathTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string TablePath => _temp.Combine("t");

    public static TheoryData<string> PartitionValues =>
    [
        "a:b",
        "A/A",
        "100%",
        "%3A",
        "with space",
        "Zürich 東京",
        "k=v#1?*[x]{y}^'\"\\",
        "tab\there",
    ];

    [Theory]
    [MemberData(nameof(PartitionValues))]
    public async Task A_string_partition_value_is_read_from_the_folder_spark_wrote(string value)
    {
        var schema = Schema(("id", "long", false, null), ("p", "string", true, null));
        await using var table = await CreateAsync(TablePath);
        var folder = PartitionFolder("p", value);
        var file = folder + "/part-00000-6240e68e-2304-449a-a1e6-0e24866d3508.c000.snappy.parquet";
        var size = await table.DataFileAsync(file, "SELECT 1::BIGINT AS id");
        table.Commit(0, Protocol(), Metadata(schema, ["p"]), Add(LogPath(file), size, new Dictionary<string, string?> { ["p"] = value }));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        var rows = await QueryAsync(snapshot, "SELECT id, p FROM {0}");

        Assert.Equal(Path.Combine(TablePath, file), snapshot.Files.Single().FullPath);
        Assert.Equal(1L, Convert.ToInt64(rows.Single()[0], CultureInfo.InvariantCulture));
        Assert.Equal(value, rows.Single()[1]);
    }

    [Fact]
    public async Task Timestamp_partitions_with_escaped_colons_are_read()
    {
        var schema = Schema(("id", "long", false, null), ("ts", "timestamp", true, null), ("ntz", "timestamp_ntz", true, null));
        await using var table = await CreateAsync(TablePath);
        (string? Ts, string? Ntz, long Id)[] partitions =
        [
            ("2013-07-05 17:01:00.123456", "2021-11-18 02:30:00.123456", 1),
            ("2013-07-05 17:01:00.123456", null, 2),
            (null, "2013-07-05 17:01:00", 3),
        ];
        var adds = new List<object>();
        foreach (var (ts, ntz, id) in partitions)
        {
            var file = $"{PartitionFolder("ts", ts)}/{PartitionFolder("ntz", ntz)}/part-0000{id}-65fcd5cb-f2f3-44f4-96ef-f43825143ba9.c000.snappy.parquet";
            var size = await table.DataFileAsync(file, $"SELECT {id}::BIGINT AS id");
            adds.Add(Add(LogPath(file), size, new Dictionary<string, string?> { ["ts"] = ts, ["ntz"] = ntz }));
        }

        table.Commit(0, [Protocol(3, 7, ["timestampNtz"], ["timestampNtz"]), Metadata(schema, ["ts", "ntz"]), .. adds]);

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        var rows = await QueryAsync(snapshot, "SELECT id, strftime(ts, '%Y-%m-%d %H:%M:%S.%f'), strftime(ntz, '%Y-%m-%d %H:%M:%S.%f') FROM {0} ORDER BY id");

        Assert.Contains(snapshot.Files, f => f.FullPath.Contains("ts=2013-07-05 17%3A01%3A00.123456/ntz=2021-11-18 02%3A30%3A00.123456/", StringComparison.Ordinal));
        Assert.Equal(["2013-07-05 17:01:00.123456", "2013-07-05 17:01:00.123456", null], rows.Select(r => r[1]));
        Assert.Equal(["2021-11-18 02:30:00.123456", null, "2013-07-05 17:01:00.000000"], rows.Select(r => r[2]));
    }

    [Fact]
    public async Task A_decoy_folder_at_the_twice_decoded_path_is_not_read()
    {
        var schema = Schema(("id", "long", false, null), ("ts", "timestamp_ntz", true, null));
        await using var table = await CreateAsync(TablePath);
        const string value = "2013-07-05 17:01:00.123456";
        const string name = "part-00000-336e3e5f-a202-4bd9-b117-28d871bbb639.c000.snappy.parquet";
        var real = $"{PartitionFolder("ts", value)}/{name}";
        var size = await table.DataFileAsync(real, "SELECT 1::BIGINT AS id");
        // The same name with the Hive escapes undone once more: what a double decoding would open.
        var decoy = $"ts={value}/{name}";
        await table.DataFileAsync(decoy, "SELECT 666::BIGINT AS id");
        table.Commit(0, Protocol(3, 7, ["timestampNtz"], ["timestampNtz"]), Metadata(schema, ["ts"]), Add(LogPath(real), size, new Dictionary<string, string?> { ["ts"] = value }));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        var rows = await QueryAsync(snapshot, "SELECT id FROM {0}");

        Assert.Equal([1L], rows.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)));

        // Without the real file, the error names the path looked up, and the decoy is still not read.
        File.Delete(Path.Combine(TablePath, real));
        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains($"data file '{LogPath(real)}' is in the log but missing on disk: no file at '{Path.Combine(TablePath, real)}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_layout_helpers_spell_names_as_spark_does()
    {
        // Folder and log names of delta-io's golden tables, written by Spark.
        Assert.Equal("as_timestamp=2021-09-08 11%3A11%3A11", PartitionFolder("as_timestamp", "2021-09-08 11:11:11"));
        Assert.Equal("as_timestamp=2021-09-08%2011%253A11%253A11", LogPath(PartitionFolder("as_timestamp", "2021-09-08 11:11:11")));
        Assert.Equal("_2=bar+%2521", PartitionFolder("_2", "bar+%21"));
        Assert.Equal("_2=bar+%252521", LogPath(PartitionFolder("_2", "bar+%21")));
        Assert.Equal("c2=+ %3D%250", PartitionFolder("c2", "+ =%0"));
        Assert.Equal("c2=+%20%253D%25250", LogPath(PartitionFolder("c2", "+ =%0")));
        Assert.Equal("special%20p@%23h", LogPath("special p@#h"));
        Assert.Equal("p=__HIVE_DEFAULT_PARTITION__", PartitionFolder("p", null));
    }

    private static async Task<List<object?[]>> QueryAsync(TableSnapshot snapshot, string sql)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables(snapshot), CancellationToken.None);
        var result = await engine.QueryAsync(string.Format(CultureInfo.InvariantCulture, sql, DuckDbRelation.Render(snapshot)), null, CancellationToken.None);
        return [.. result.Rows.Select(r => r.ToArray())];
    }

    public void Dispose() => _temp.Dispose();
}
