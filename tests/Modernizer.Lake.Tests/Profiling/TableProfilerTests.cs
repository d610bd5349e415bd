using System.Text.Json;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Profiling;
using Modernizer.Lake.Tables;
using Modernizer.Lake.Tests.Delta;
using static Modernizer.Lake.Tests.Delta.DeltaTableBuilder;

namespace Modernizer.Lake.Tests.Profiling;

/// <summary>R2.2 / issue item 5: the profiler's metrics on a table whose answers are known.</summary>
public sealed class TableProfilerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string TablePath => _temp.Combine("orders");

    [Fact]
    public async Task Profiles_every_column_with_exact_metrics_on_a_small_table()
    {
        var profile = await ProfileAsync(ProfileOptions.Default);

        Assert.Equal(10, profile.Rows);
        Assert.Equal(1, profile.Version);
        Assert.Equal("delta", profile.Format);
        Assert.Equal(2, profile.Files);
        Assert.Equal("duckdb", profile.Engine);

        var id = profile.Columns.Single(c => c.Name == "id");
        Assert.Equal(10, id.Count);
        Assert.Equal(10, id.Distinct);
        Assert.True(id.DistinctExact);
        Assert.Equal(1L, id.Min!.GetValue<long>());
        Assert.Equal(10L, id.Max!.GetValue<long>());
        Assert.Equal(5.5, id.Mean!.GetValue<double>());
        Assert.Equal(3.0276504, id.Stddev!.Value, 6);
        Assert.Equal(["p25", "p50", "p75"], id.Quantiles.Keys);
        Assert.False(id.QuantilesExact);
        Assert.Equal(10, id.Histogram!.Counts.Sum());

        var amount = profile.Columns.Single(c => c.Name == "amount");
        Assert.Equal("decimal(10,2)", amount.Type);
        Assert.Equal(2, amount.Nulls);
        Assert.Equal(0.2, amount.NullRate);
        Assert.Equal(1, amount.Zeros);
        Assert.Equal(2, amount.Negatives);
        // Exact decimal mean: (-1.10 - 2.20 + 0 + 3.30 + 10.01 + 20.02 + 30.03 + 0.01) / 8.
        Assert.Equal(60.07m / 8, amount.Mean!.GetValue<decimal>());

        var region = profile.Columns.Single(c => c.Name == "region");
        Assert.Equal(3, region.Distinct);
        Assert.Equal("north", region.TopValues[0].Value!.GetValue<string>());
        Assert.Equal(5, region.TopValues[0].Count);
        Assert.True(region.TopValuesExact);
        Assert.Equal(4, region.Lengths!.Min);
        Assert.Equal(5, region.Lengths.Max);

        var day = profile.Columns.Single(c => c.Name == "day");
        Assert.Equal("2024-01-01", day.Min!.GetValue<string>());
        Assert.Equal("2024-01-10", day.Max!.GetValue<string>());

        var city = profile.Columns.Single(c => c.Name == "info.city");
        Assert.Equal("string", city.Type);
        Assert.Equal(1, city.Nulls);

        var tags = profile.Columns.Single(c => c.Name == "tags");
        Assert.Equal(0, tags.Lengths!.Min);
        Assert.Equal(2, tags.Lengths.Max);
        Assert.Null(tags.DistinctExact);
    }

    [Fact]
    public async Task A_large_table_recounts_small_and_key_like_columns_exactly_and_labels_the_rest_approximate()
    {
        var recounted = await ProfileAsync(ProfileOptions.Default with { ExactDistinctMaxRows = 5 });
        Assert.All(recounted.Columns.Where(c => c.Distinct is not null), c => Assert.True(c.DistinctExact, c.Name));
        Assert.Equal(3, recounted.Columns.Single(c => c.Name == "region").Distinct);

        var estimated = await ProfileAsync(ProfileOptions.Default with { ExactDistinctMaxRows = 5, ExactDistinctBelow = 2 });
        var id = estimated.Columns.Single(c => c.Name == "id");
        Assert.True(id.DistinctExact);
        Assert.Equal(10, id.Distinct);
        var region = estimated.Columns.Single(c => c.Name == "region");
        Assert.False(region.DistinctExact);
    }

    [Fact]
    public async Task Writes_profile_json_with_the_contract_fields_and_markdown_with_svg()
    {
        var profile = await ProfileAsync(ProfileOptions.Default);
        var json = _temp.Combine("out", "profile.json");
        var md = _temp.Combine("out", "profile.md");
        await ProfileWriter.WriteJsonAsync(profile, json, CancellationToken.None);
        await ProfileWriter.WriteMarkdownAsync(profile, md, CancellationToken.None);

        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        foreach (var field in new[] { "table", "version", "rows", "files", "bytes", "columns" })
        {
            Assert.True(root.TryGetProperty(field, out _), field);
        }

        var column = root.GetProperty("columns")[0];
        foreach (var field in new[] { "name", "type", "count", "nulls", "null_rate", "distinct", "distinct_exact", "min", "max", "mean", "stddev", "quantiles", "top_values" })
        {
            Assert.True(column.TryGetProperty(field, out _), field);
        }

        var text = File.ReadAllText(md);
        Assert.Contains("<svg", text, StringComparison.Ordinal);
        Assert.Contains("| amount | decimal(10,2) |", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_parquet_file_profiles_without_a_version_and_labels_timestamps()
    {
        var file = _temp.Combine("events.parquet");
        await using (var writer = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(_temp.Path), CancellationToken.None))
        {
            await writer.ExecuteAsync($"COPY (SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_hours(range) AS at, range % 2 = 0 AS flag FROM range(48)) TO {DuckDbEngine.Literal(file)} (FORMAT parquet)", null, CancellationToken.None);
        }

        var snapshot = await LakeTable.OpenAsync(file, null, CancellationToken.None);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables(snapshot), CancellationToken.None);
        var profile = await TableProfiler.ProfileAsync(snapshot, engine, ProfileOptions.Default, CancellationToken.None);

        Assert.Null(profile.Version);
        Assert.Equal("parquet", profile.Format);
        var at = profile.Columns.Single(c => c.Name == "at");
        Assert.Equal("timestamp", at.Type);
        Assert.StartsWith("2024-01-01T00:00:00", at.Min!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("2024-01-02T23:00:00", at.Max!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, at.Quantiles.Count);
        var flag = profile.Columns.Single(c => c.Name == "flag");
        Assert.Equal(2, flag.Distinct);
        Assert.Equal(24, flag.TopValues[0].Count);
        Assert.True(flag.TopValuesExact);
    }

    private async Task<TableProfile> ProfileAsync(ProfileOptions options)
    {
        var schema = Schema(
            ("id", "long", false, null),
            ("amount", "decimal(10,2)", true, null),
            ("region", "string", true, null),
            ("day", "date", true, null),
            ("info", "{\"type\":\"struct\",\"fields\":[{\"name\":\"city\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}", true, null),
            ("tags", "{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":true}", true, null));
        await using (var table = await CreateAsync(TablePath))
        {
            var a = await table.DataFileAsync("a.parquet", """
                SELECT * FROM (VALUES
                  (1::BIGINT, -1.10::DECIMAL(10,2), 'north', DATE '2024-01-01', {'city': 'Oslo'}, ['x']),
                  (2, -2.20, 'north', DATE '2024-01-02', {'city': 'Oslo'}, []),
                  (3, 0.00, 'south', DATE '2024-01-03', {'city': NULL}, ['x', 'y']),
                  (4, 3.30, 'north', DATE '2024-01-04', {'city': 'Rome'}, NULL),
                  (5, NULL, 'east', DATE '2024-01-05', {'city': 'Rome'}, ['z'])
                ) AS v(id, amount, region, day, info, tags)
                """);
            var b = await table.DataFileAsync("b.parquet", """
                SELECT * FROM (VALUES
                  (6::BIGINT, 10.01::DECIMAL(10,2), 'north', DATE '2024-01-06', {'city': 'Oslo'}, ['x']),
                  (7, 20.02, 'south', DATE '2024-01-07', {'city': 'Oslo'}, ['x']),
                  (8, 30.03, 'north', DATE '2024-01-08', {'city': 'Oslo'}, ['x']),
                  (9, NULL, 'south', DATE '2024-01-09', {'city': 'Oslo'}, ['x']),
                  (10, 0.01, 'east', DATE '2024-01-10', {'city': 'Oslo'}, ['x'])
                ) AS v(id, amount, region, day, info, tags)
                """);
            table.Commit(0, Protocol(), Metadata(schema), Add("a.parquet", a));
            table.Commit(1, Add("b.parquet", b));
        }

        var snapshot = await LakeTable.OpenAsync(TablePath, null, CancellationToken.None);
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(TablePath), CancellationToken.None);
        return await TableProfiler.ProfileAsync(snapshot, engine, options, CancellationToken.None);
    }

    public void Dispose() => _temp.Dispose();
}
