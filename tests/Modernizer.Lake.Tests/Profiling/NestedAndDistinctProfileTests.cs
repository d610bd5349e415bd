using System.Globalization;
using System.Text.Json;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Profiling;
using Modernizer.Lake.Tables;
using static Modernizer.Lake.Tests.Delta.DeltaTableBuilder;

namespace Modernizer.Lake.Tests.Profiling;

/// <summary>Every type Delta allows is profiled (maps, arrays, structs, nesting of them, and the
/// awkward primitives), and distinct counts are exact where an estimate would be visibly wrong.</summary>
public sealed class NestedAndDistinctProfileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string TablePath => _temp.Combine("t");

    private static string MapOf(string key, string value) =>
        $"{{\"type\":\"map\",\"keyType\":{Type(key)},\"valueType\":{Type(value)},\"valueContainsNull\":true}}";

    private static string ArrayOf(string element) => $"{{\"type\":\"array\",\"elementType\":{Type(element)},\"containsNull\":true}}";

    private static string StructOf(params (string Name, string Type)[] fields) =>
        "{\"type\":\"struct\",\"fields\":[" + string.Join(",", fields.Select(f => $"{{\"name\":\"{f.Name}\",\"type\":{Type(f.Type)},\"nullable\":true,\"metadata\":{{}}}}")) + "]}";

    private static string Type(string t) => t.StartsWith('{') ? t : JsonSerializer.Serialize(t);

    [Fact]
    public async Task Maps_arrays_structs_and_their_nesting_are_profiled_with_counts_nulls_and_sizes()
    {
        var schema = Schema(
            ("id", "long", false, null),
            ("counts", MapOf("integer", "long"), true, null),
            ("attrs", MapOf("string", StructOf(("v", "double"), ("tags", ArrayOf("string")))), true, null),
            ("matrix", ArrayOf(ArrayOf("integer")), true, null),
            ("items", ArrayOf(StructOf(("sku", "string"), ("qty", "integer"))), true, null),
            ("meta", StructOf(("labels", MapOf("string", "string")), ("inner", StructOf(("deep", ArrayOf("long"))))), true, null),
            ("payload", "binary", true, null),
            ("at", "timestamp", true, null),
            ("local", "timestamp_ntz", true, null),
            ("flag", "boolean", true, null),
            ("ratio", "double", true, null));
        await using (var table = await CreateAsync(TablePath))
        {
            var size = await table.DataFileAsync("part-00000.parquet", """
                SELECT * FROM (VALUES
                  (1::BIGINT, MAP {1: 10::BIGINT, 2: 20}, MAP {'a': {'v': 1.5, 'tags': ['x', 'y']}}, [[1, 2], [3]], [{'sku': 'A', 'qty': 1}], {'labels': MAP {'k': 'v'}, 'inner': {'deep': [1::BIGINT, 2]}}, '\x01\x02'::BLOB, TIMESTAMPTZ '2024-01-01 10:00:00+00', TIMESTAMP '2024-01-01 10:00:00', true, 'nan'::DOUBLE),
                  (2, MAP {}, NULL, [], [], {'labels': NULL, 'inner': NULL}, NULL, NULL, NULL, false, 'inf'::DOUBLE),
                  (3, NULL, MAP {'b': NULL, 'c': {'v': NULL, 'tags': NULL}}, NULL, NULL, NULL, ''::BLOB, TIMESTAMPTZ '2024-06-01 00:00:00+00', TIMESTAMP '2024-06-01 00:00:00', NULL, 0.5)
                ) AS v(id, counts, attrs, matrix, items, meta, payload, "at", "local", flag, ratio)
                """);
            table.Commit(0, Protocol(3, 7, ["timestampNtz"], ["timestampNtz"]), Metadata(schema), Add("part-00000.parquet", size));
        }

        var profile = await ProfileAsync(ProfileOptions.Default);

        Assert.Equal(3, profile.Rows);
        Assert.All(profile.Columns.Where(c => c.Name != "ratio"), c => Assert.True(c.Omitted.IsEmpty, c.Name + ": " + string.Join("; ", c.Omitted)));
        var counts = profile.Columns.Single(c => c.Name == "counts");
        Assert.Equal("map<integer,long>", counts.Type);
        Assert.Equal((2L, 1L), (counts.Count, counts.Nulls));
        Assert.Equal((0L, 1.0, 2L), (counts.Lengths!.Min!.Value, counts.Lengths.Avg!.Value, counts.Lengths.Max!.Value));
        Assert.Null(counts.Distinct);
        var attrs = profile.Columns.Single(c => c.Name == "attrs");
        Assert.Equal((2L, 1L, 2L), (attrs.Count, attrs.Lengths!.Min!.Value, attrs.Lengths.Max!.Value));
        var matrix = profile.Columns.Single(c => c.Name == "matrix");
        Assert.Equal((0L, 2L), (matrix.Lengths!.Min!.Value, matrix.Lengths.Max!.Value));
        var items = profile.Columns.Single(c => c.Name == "items");
        Assert.Equal("array<struct<sku:string,qty:integer>>", items.Type);
        Assert.Equal(1, items.Nulls);
        var labels = profile.Columns.Single(c => c.Name == "meta.labels");
        Assert.Equal((1L, 2L), (labels.Count, labels.Nulls));
        Assert.Equal(1L, labels.Lengths!.Max);
        var deep = profile.Columns.Single(c => c.Name == "meta.inner.deep");
        Assert.Equal((1L, 2L), (deep.Count, deep.Lengths!.Max!.Value));
        var payload = profile.Columns.Single(c => c.Name == "payload");
        Assert.Equal((2L, 2L), (payload.Count, payload.Distinct!.Value));
        var at = profile.Columns.Single(c => c.Name == "at");
        Assert.Equal((2L, 3), (at.Count, at.Quantiles.Count));
        var flag = profile.Columns.Single(c => c.Name == "flag");
        Assert.Equal(2L, flag.Distinct);
        // DuckDB refuses a standard deviation over infinity: that metric alone is left out, with the reason.
        var ratio = profile.Columns.Single(c => c.Name == "ratio");
        Assert.Equal(3L, ratio.Distinct);
        Assert.Equal("NaN", ratio.Max!.ToJsonString().Trim('"'));
        Assert.Null(ratio.Stddev);
        Assert.Equal("stddev: Out of Range Error: STDDEV_SAMP is out of range!", Assert.Single(ratio.Omitted));

        // The profile of such a table is written whole.
        var json = _temp.Combine("out", "profile.json");
        await ProfileWriter.WriteJsonAsync(profile, json, CancellationToken.None);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(profile.Columns.Length, document.RootElement.GetProperty("columns").GetArrayLength());
        Assert.Contains("| counts | map&lt;integer,long&gt; |", ProfileWriter.Markdown(profile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wide_decimals_keep_their_digits_and_a_sum_that_overflows_is_left_out_not_fatal()
    {
        var schema = Schema(("id", "long", false, null), ("big", "decimal(38,18)", true, null));
        await using (var table = await CreateAsync(TablePath))
        {
            var size = await table.DataFileAsync("a.parquet",
                "SELECT range AS id, CASE WHEN range = 0 THEN -99999999999999999999.999999999999999999 ELSE 99999999999999999999.999999999999999999 END::DECIMAL(38,18) AS big FROM range(10)");
            table.Commit(0, Protocol(), Metadata(schema), Add("a.parquet", size));
        }

        var profile = await ProfileAsync(ProfileOptions.Default);

        var big = profile.Columns.Single(c => c.Name == "big");
        Assert.Equal(10, big.Count);
        Assert.Equal("\"-99999999999999999999.999999999999999999\"", big.Min!.ToJsonString());
        Assert.Equal("\"99999999999999999999.999999999999999999\"", big.Max!.ToJsonString());
        Assert.Contains(big.Omitted, o => o.StartsWith("sum: ", StringComparison.Ordinal));
        Assert.Equal(8e19, big.Mean!.GetValue<double>(), 1e6);
        Assert.Equal(2, big.Distinct);
        Assert.Empty(profile.Columns.Single(c => c.Name == "id").Omitted);
    }

    [Fact]
    public async Task A_column_whose_files_do_not_match_the_schema_fails_with_the_table_and_column_named()
    {
        var schema = Schema(("id", "long", false, null), ("amount", "integer", true, null));
        await using (var table = await CreateAsync(TablePath))
        {
            var size = await table.DataFileAsync("a.parquet", "SELECT range AS id, 'not a number' AS amount FROM range(3)");
            table.Commit(0, Protocol(), Metadata(schema), Add("a.parquet", size));
        }

        var error = await Assert.ThrowsAsync<LakeTableException>(() => ProfileAsync(ProfileOptions.Default));

        Assert.Contains(TablePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("column 'amount' (integer) cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_distinct_count_hyperloglog_gets_wrong_is_recounted_exactly()
    {
        // 50,000 distinct keys over 150,000 rows: HyperLogLog is several percent off here.
        const long distinct = 50_000;
        var schema = Schema(("id", "long", false, null), ("origin", "string", true, null));
        await using (var table = await CreateAsync(TablePath))
        {
            var size = await table.DataFileAsync("a.parquet", $"SELECT range AS id, 'AP-' || (range % {distinct})::VARCHAR AS origin FROM range(150000)");
            table.Commit(0, Protocol(), Metadata(schema), Add("a.parquet", size));
        }

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables(snapshot), CancellationToken.None);
        var estimate = Convert.ToInt64((await engine.QueryAsync($"SELECT approx_count_distinct(origin) FROM {DuckDbRelation.Render(snapshot)}", null, CancellationToken.None)).Scalar, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(estimate - distinct) > distinct / 100, $"the estimate {estimate} should be more than 1% off for this test to mean anything");

        // Treated as a large table: estimated first, then recounted because the estimate is below the threshold.
        var large = ProfileOptions.Default with { ExactDistinctMaxRows = 1_000 };
        var origin = (await TableProfiler.ProfileAsync(snapshot, engine, large, CancellationToken.None)).Columns.Single(c => c.Name == "origin");
        Assert.Equal(distinct, origin.Distinct);
        Assert.True(origin.DistinctExact);

        // Above the threshold the estimate is kept, and labelled as one.
        var kept = (await TableProfiler.ProfileAsync(snapshot, engine, large with { ExactDistinctBelow = 1_000 }, CancellationToken.None)).Columns.Single(c => c.Name == "origin");
        Assert.Equal(estimate, kept.Distinct);
        Assert.False(kept.DistinctExact);

        // The default on a table this size: exact everywhere.
        var standard = (await TableProfiler.ProfileAsync(snapshot, engine, ProfileOptions.Default, CancellationToken.None)).Columns.Single(c => c.Name == "origin");
        Assert.Equal((distinct, true), (standard.Distinct!.Value, standard.DistinctExact!.Value));
    }

    private async Task<TableProfile> ProfileAsync(ProfileOptions options)
    {
        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables(snapshot), CancellationToken.None);
        return await TableProfiler.ProfileAsync(snapshot, engine, options, CancellationToken.None);
    }

    public void Dispose() => _temp.Dispose();
}
