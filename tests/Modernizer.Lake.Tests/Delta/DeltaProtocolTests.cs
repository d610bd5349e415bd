using Modernizer.Lake.Tables;
using static Modernizer.Lake.Tests.Delta.DeltaReaderTests;
using static Modernizer.Lake.Tests.Delta.DeltaTableBuilder;

namespace Modernizer.Lake.Tests.Delta;

/// <summary>Protocol checks (reader versions and features) and metadata completeness, as PROTOCOL
/// "Protocol Evolution", "Table Features" and "Change Metadata" say.</summary>
public sealed class DeltaProtocolTests : IDisposable
{
    private static readonly string IdValue = Schema(("id", "long", false, null), ("v", "string", true, null));

    private readonly TempDirectory _temp = new();

    private string TablePath => _temp.Combine("t");

    [Fact]
    public async Task Reader_version_3_without_a_reader_features_list_is_refused()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        table.Commit(0, new { protocol = new { minReaderVersion = 3, minWriterVersion = 7, writerFeatures = new[] { "appendOnly" } } }, Metadata(IdValue), Add("a.parquet", a));

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

        Assert.Contains("reader version 3 requires the protocol action to list its readerFeatures", error.Message, StringComparison.Ordinal);
        Assert.Contains(TablePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reader_version_3_with_an_empty_reader_features_list_is_read()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        table.Commit(0, Protocol(3, 7, [], ["appendOnly"]), Metadata(IdValue), Add("a.parquet", a));

        Assert.Equal([1L], await IdsAsync(await LakeTable.OpenAsync(TablePath, null, CancellationToken.None)));
    }

    [Fact]
    public async Task A_refusal_names_every_unknown_reader_feature()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        string[] features = ["columnMapping", "variantType", "typeWidening", "deletionVectors", "appendOnly", "someFutureFeature"];
        table.Commit(0, Protocol(3, 7, features, features), Metadata(IdValue), Add("a.parquet", a));

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

        Assert.Contains("reader features 'someFutureFeature', 'typeWidening', 'variantType', which this reader does not implement", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'columnMapping'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'appendOnly'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_newer_reader_version_is_refused_with_its_unknown_features()
    {
        await using var table = await CreateAsync(TablePath);
        table.Commit(0, Protocol(4, 8, ["futureA", "deletionVectors", "futureB"], ["futureA", "futureB"]), Metadata(IdValue));

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

        Assert.Contains("reader version 4 is not one this reader knows (1 to 3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'futureA', 'futureB'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_catalog_managed_table_names_its_other_unknown_features_too()
    {
        await using var table = await CreateAsync(TablePath);
        string[] features = ["catalogManaged", "typeWidening"];
        table.Commit(0, Protocol(3, 7, features, features), Metadata(IdValue));

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

        Assert.Contains("catalog-managed table (reader feature 'catalogManaged')", error.Message, StringComparison.Ordinal);
        Assert.Contains("'catalogManaged', 'typeWidening'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dlt_table_whose_first_metadata_lacks_a_schema_opens_from_version_1()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("part-00000-3f1a.c000.snappy.parquet", "SELECT 5::BIGINT AS id, 'x' AS v");
        // What Delta Live Tables write: a placeholder metaData at version 0, the real one at version 1.
        table.Commit(0,
            CommitInfo(),
            Protocol(1, 2),
            new { metaData = new { id = "ac0a0120-970e-4d8c-ae92-b5244b055d6e", format = new { provider = "parquet", options = new Dictionary<string, string>() }, partitionColumns = Array.Empty<string>(), configuration = new Dictionary<string, string>(), createdTime = 1681798577757L } });
        table.Commit(1, CommitInfo(), Metadata(IdValue), Add("part-00000-3f1a.c000.snappy.parquet", a));

        var latest = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        Assert.Equal(1, latest.Version);
        Assert.Equal([5L], await IdsAsync(latest));

        var first = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, TableVersionSpec.AtVersion(0), CancellationToken.None));
        Assert.Contains("the metadata in effect at version 0 (00000000000000000000.json line 3) has no schemaString", first.Message, StringComparison.Ordinal);
        Assert.Contains("the latest is 1", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_whose_latest_metadata_lacks_a_schema_is_refused()
    {
        await using var table = await CreateAsync(TablePath);
        var a = await table.DataFileAsync("a.parquet", "SELECT 1::BIGINT AS id, 'a' AS v");
        table.Commit(0, Protocol(), Metadata(IdValue), Add("a.parquet", a));
        table.Commit(1, new { metaData = new { id = "x", format = new { provider = "parquet" }, partitionColumns = Array.Empty<string>(), configuration = new Dictionary<string, string>() } });

        var error = await Assert.ThrowsAsync<LakeTableException>(() => LakeTable.OpenAsync(TablePath, null, CancellationToken.None));

        Assert.Contains("the metadata in effect at version 1 (00000000000000000001.json line 1) has no schemaString", error.Message, StringComparison.Ordinal);
        Assert.Equal([1L], await IdsAsync(await LakeTable.OpenAsync(TablePath, TableVersionSpec.AtVersion(0), CancellationToken.None)));
    }

    public void Dispose() => _temp.Dispose();
}
