using Modernizer.Lake.Engines;
using Modernizer.Lake.Questions;
using Modernizer.Lake.Tables;
using Modernizer.Lake.Tests.Delta;
using static Modernizer.Lake.Tests.Delta.DeltaTableBuilder;

namespace Modernizer.Lake.Tests.Questions;

/// <summary>Issue item 7 (X1): typed evidence questions whose answers carry query, result, table
/// version and engine version.</summary>
public sealed class EvidenceQueriesTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private DuckDbEngine? _engine;
    private EvidenceTarget? _target;

    private EvidenceQueries Queries => new(_engine!);

    private EvidenceTarget Target => _target!;

    public async Task InitializeAsync()
    {
        var path = _temp.Combine("customers");
        await using (var table = await CreateAsync(path))
        {
            var a = await table.DataFileAsync("a.parquet", """
                SELECT * FROM (VALUES (1::BIGINT, 'DE', 10::INTEGER, NULL::VARCHAR), (2, 'FR', -3, 'x'), (2, 'DE', 50, 'y'), (3, 'DE', 7, 'z'))
                AS v(id, country, score, note)
                """);
            table.Commit(0, Protocol(), Metadata(Schema(("id", "long", false, null), ("country", "string", true, null), ("score", "integer", true, null), ("note", "string", true, null))), Add("a.parquet", a));
        }

        var snapshot = await LakeTable.OpenAsync(path, null, CancellationToken.None);
        _engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables(snapshot), CancellationToken.None);
        _target = EvidenceTarget.ForSnapshot(snapshot);
    }

    [Fact]
    public async Task Is_ever_null_answers_with_its_query_result_and_versions()
    {
        var answer = await Queries.IsEverNullAsync(Target, "note", CancellationToken.None);

        Assert.True(answer.Answer);
        Assert.Equal(0, answer.TableVersion);
        Assert.Equal("duckdb", answer.Engine);
        Assert.StartsWith("v1.", answer.EngineVersion, StringComparison.Ordinal);
        Assert.Contains("IS NULL", answer.Sql, StringComparison.Ordinal);
        Assert.Equal(1L, Convert.ToInt64(answer.Result.Scalar, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("@v0", answer.ToEvidence().Reference, StringComparison.Ordinal);
        Assert.False((await Queries.IsEverNullAsync(Target, "country", CancellationToken.None)).Answer);
    }

    [Fact]
    public async Task Negative_and_out_of_range_values_are_found_with_bounds_bound_as_parameters()
    {
        Assert.True((await Queries.IsEverNegativeAsync(Target, "score", CancellationToken.None)).Answer);
        var outside = await Queries.IsEverOutsideAsync(Target, "score", -5, 40, CancellationToken.None);
        Assert.True(outside.Answer);
        Assert.Equal([-5, 40], outside.Parameters.Select(p => p.Value));
        Assert.EndsWith("WHERE ((\"score\" < $p0) OR (\"score\" > $p1))", outside.Sql, StringComparison.Ordinal);
        Assert.False((await Queries.IsEverOutsideAsync(Target, "score", -5, 50, CancellationToken.None)).Answer);
    }

    [Fact]
    public async Task Repeated_keys_are_counted()
    {
        Assert.True((await Queries.DoKeysRepeatAsync(Target, ["id"], CancellationToken.None)).Answer);
        Assert.Equal(1, (await Queries.RepeatedKeyCountAsync(Target, ["id"], CancellationToken.None)).Answer);
        Assert.False((await Queries.DoKeysRepeatAsync(Target, ["id", "country"], CancellationToken.None)).Answer);
    }

    [Fact]
    public async Task Values_come_most_frequent_first_and_say_when_incomplete()
    {
        var all = await Queries.ValuesAsync(Target, "country", 5, CancellationToken.None);
        Assert.True(all.Answer.Complete);
        Assert.Equal("DE", all.Answer.Values[0].Value);
        Assert.Equal(3, all.Answer.Values[0].Count);
        var one = await Queries.ValuesAsync(Target, "country", 1, CancellationToken.None);
        Assert.False(one.Answer.Complete);
    }

    [Fact]
    public async Task An_unknown_column_is_refused_with_the_table_name()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Queries.IsEverNullAsync(Target, "nope\"; DROP", CancellationToken.None));
        Assert.Contains("has no column", error.Message, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _temp.Dispose();
    }
}
