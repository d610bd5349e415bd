using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;
using static Modernizer.Lake.Tests.Delta.DeltaReaderTests;
using static Modernizer.Lake.Tests.Delta.DeltaTableBuilder;

namespace Modernizer.Lake.Tests.Delta;

/// <summary>A hostile log cannot make the reader open files outside the table folder: absolute
/// paths, file: URIs, ../ (plain or percent-encoded), symbolic links, deletion vectors, change
/// files, removes and sidecars all pass the same check, and only an allowed root opens the door.</summary>
public sealed class TableFileGuardTests : IDisposable
{
    private static readonly string IdValue = Schema(("id", "long", false, null), ("v", "string", true, null));

    private readonly TempDirectory _temp = new();

    private string TablePath => _temp.Combine("lake", "t");

    private string Outside => _temp.Combine("outside");

    /// <summary>A Parquet file outside the table with rows nobody may read through it.</summary>
    private async Task<(string Path, long Size)> SecretAsync()
    {
        await using var other = await CreateAsync(Outside);
        var size = await other.DataFileAsync("secret.parquet", "SELECT 666::BIGINT AS id, 'leaked@example.com' AS v FROM range(5)");
        return (Path.Combine(Outside, "secret.parquet"), size);
    }

    private static string[] EscapingPaths(string secret) =>
    [
        secret,
        new Uri(secret).AbsoluteUri,
        "file://" + secret,
        "file:" + secret,
        "file://localhost" + secret,
        "../../outside/secret.parquet",
        "%2E%2E/%2E%2E/outside/secret.parquet",
        "..%2F..%2Foutside%2Fsecret.parquet",
        "sub/../../../outside/secret.parquet",
    ];

    [Fact]
    public async Task An_add_path_leaving_the_table_is_refused_in_every_spelling()
    {
        var (secret, size) = await SecretAsync();
        foreach (var path in EscapingPaths(secret))
        {
            Directory.CreateDirectory(TablePath);
            await using (var table = await CreateAsync(TablePath))
            {
                table.Commit(0, Protocol(), Metadata(IdValue), Add(path, size));
            }

            var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

            Assert.Contains(TablePath, error.Message, StringComparison.Ordinal);
            Assert.Contains("00000000000000000000.json line 3: add path '" + path + "'", error.Message, StringComparison.Ordinal);
            Assert.Contains("outside the table folder", error.Message, StringComparison.Ordinal);
            Directory.Delete(TablePath, recursive: true);
        }
    }

    [Fact]
    public async Task A_log_naming_etc_passwd_is_refused_before_anything_is_opened()
    {
        await using var table = await CreateAsync(TablePath);
        table.Commit(0, Protocol(), Metadata(IdValue), Add("/etc/passwd", 100), Add("file:///etc/passwd", 100), Add("../../../../../../../../etc/passwd", 100));

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

        Assert.Contains("add path '/etc/passwd' resolves to '/etc/passwd'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket/t/part-0.parquet", "on 's3' storage")]
    [InlineData("abfss://c@account.dfs.core.windows.net/t/part-0.parquet", "on 'abfss' storage")]
    [InlineData("dbfs:/mnt/t/part-0.parquet", "on 'dbfs' storage")]
    [InlineData("file://fileserver/share/part-0.parquet", "names the host 'fileserver'")]
    [InlineData("file:relative/part-0.parquet", "not an absolute file URI")]
    public async Task Remote_and_malformed_uris_are_refused(string path, string expected)
    {
        await using var table = await CreateAsync(TablePath);
        table.Commit(0, Protocol(), Metadata(IdValue), Add(path, 100));

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removes_and_change_files_leaving_the_table_are_refused_too()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a.parquet", a));
        table.Commit(1, Remove("../elsewhere/a.parquet"));

        var remove = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("00000000000000000001.json line 1: remove path '../elsewhere/a.parquet'", remove.Message, StringComparison.Ordinal);

        table.Commit(1, new { cdc = new { path = "/tmp/changes/cdc-0.parquet", partitionValues = new Dictionary<string, string>(), size = 10L, dataChange = false } });
        var cdc = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("cdc path '/tmp/changes/cdc-0.parquet'", cdc.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deletion_vectors_outside_the_table_are_refused()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT range AS id, 'a' AS v FROM range(5)");
        Directory.CreateDirectory(Outside);
        // 'u' with a prefix that climbs out: prefix "../../" + the protocol's example Z85 UUID.
        var climbing = new { storageType = "u", pathOrInlineDv = "../../^-aqEH.-t@S}K{vb[*k^", offset = 1, sizeInBytes = 10, cardinality = 1L };
        table.Commit(0, Protocol(3, 7, ["deletionVectors"], ["deletionVectors"]), Metadata(IdValue), Add("a.parquet", a, deletionVector: climbing, numRecords: 5));

        var relative = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("the deletion vector of data file 'a.parquet'", relative.Message, StringComparison.Ordinal);
        Assert.Contains("outside the table folder", relative.Message, StringComparison.Ordinal);

        var absolute = new { storageType = "p", pathOrInlineDv = new Uri(Path.Combine(Outside, "dv.bin")).AbsoluteUri, offset = 1, sizeInBytes = 10, cardinality = 1L };
        table.Commit(0, Protocol(3, 7, ["deletionVectors"], ["deletionVectors"]), Metadata(IdValue), Add("a.parquet", a, deletionVector: absolute, numRecords: 5));
        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("outside the table folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sidecar_outside_the_log_folder_tree_is_refused()
    {
        var (secret, _) = await SecretAsync();
        await using var table = await CreateAsync(TablePath);
        File.WriteAllLines(Path.Combine(table.LogPath, "00000000000000000002.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json"),
        [
            "{\"checkpointMetadata\":{\"version\":2}}",
            "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"v2Checkpoint\"],\"writerFeatures\":[\"v2Checkpoint\"]}}",
            System.Text.Json.JsonSerializer.Serialize(Metadata(IdValue)),
            "{\"sidecar\":{\"path\":\"../../../../outside/secret.parquet\",\"sizeInBytes\":1,\"modificationTime\":1}}",
        ]);

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

        Assert.Contains("sidecar path '../../../../outside/secret.parquet' resolves to '" + secret + "'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Symbolic_links_inside_the_table_cannot_reach_outside()
    {
        var (secret, size) = await SecretAsync();
        await using var table = await CreateAsync(TablePath);
        File.CreateSymbolicLink(Path.Combine(TablePath, "part-0.parquet"), secret);
        Directory.CreateSymbolicLink(Path.Combine(TablePath, "p=1"), Outside);
        table.Commit(0, Protocol(), Metadata(IdValue), Add("part-0.parquet", size));

        var file = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("is a symbolic link to '" + secret + "'", file.Message, StringComparison.Ordinal);

        table.Commit(0, Protocol(), Metadata(IdValue), Add("p=1/secret.parquet", size));
        var folder = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("is a symbolic link to '" + secret + "'", folder.Message, StringComparison.Ordinal);

        // A plain Parquet folder is listed inside the table, but its links are checked the same way.
        Directory.Delete(table.LogPath, recursive: true);
        var parquet = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        Assert.Contains("is a symbolic link to '" + secret + "'", parquet.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_that_stays_inside_the_table_is_read()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("data/a.parquet", "SELECT 7::BIGINT AS id, 'a' AS v");
        Directory.CreateSymbolicLink(Path.Combine(TablePath, "alias"), Path.Combine(TablePath, "data"));
        table.Commit(0, Protocol(), Metadata(IdValue), Add("alias/a.parquet", a));

        Assert.Equal([7L], await IdsAsync(await LakeTable.OpenAsync(TablePath, null, CancellationToken.None)));
    }

    [Fact]
    public async Task Absolute_paths_are_read_inside_the_table_or_under_an_allowed_root()
    {
        var (secret, size) = await SecretAsync();
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        // A shallow clone: its own file by absolute URI, and its source's file elsewhere.
        table.Commit(0, Protocol(), Metadata(IdValue), Add(new Uri(Path.Combine(TablePath, "a.parquet")).AbsoluteUri, a), Add("file:" + secret, size));

        await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));
        var narrow = new LakeTableOptions { AllowedRoots = [_temp.Combine("outside-not")] };
        await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, narrow, CancellationToken.None));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, new LakeTableOptions { AllowedRoots = [Outside] }, CancellationToken.None);

        Assert.Equal([1L, 666L, 666L, 666L, 666L, 666L], await ReadAsync(snapshot));
    }

    [Fact]
    public async Task The_same_file_named_relatively_and_by_uri_is_one_logical_file()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a b.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        var b = await table.DataFileAsync("b.parquet", "SELECT 2::BIGINT AS id, 'b' AS v");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a%20b.parquet", a), Add("b.parquet", b));
        table.Commit(1, Remove(new Uri(Path.Combine(TablePath, "a b.parquet")).AbsoluteUri));

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);

        Assert.Equal(["b.parquet"], snapshot.Files.Select(f => f.Path));
    }

    private static async Task<List<long>> ReadAsync(TableSnapshot snapshot)
    {
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables(snapshot), CancellationToken.None);
        var result = await engine.QueryAsync($"SELECT id FROM {DuckDbRelation.Render(snapshot)} ORDER BY id", null, CancellationToken.None);
        return [.. result.Rows.Select(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture))];
    }

    public void Dispose() => _temp.Dispose();
}
