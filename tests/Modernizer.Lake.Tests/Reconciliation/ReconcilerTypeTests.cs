using Modernizer.Lake.Reconciliation;

namespace Modernizer.Lake.Tests.Reconciliation;

/// <summary>R4.4 item 2: type-aware canonical comparison and the length-prefixed 128-bit row hash.</summary>
public sealed class ReconcilerTypeTests
{
    private static readonly ReconcileOptions Keyless = ReconcileOptions.Default with { Keyless = true };

    [Fact]
    public async Task Length_prefixed_hash_tells_ab_c_from_a_bc()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT 'ab' AS x, 'c' AS y");
        var c = await f.ParquetAsync("c", "SELECT 'a' AS x, 'bc' AS y");
        var v = await f.ReconcileAsync(b, c, Keyless);
        VerdictAssert.Counts(v, 0, 0, 1, 1, 0);
        Assert.Equal(ReconciliationStatus.Mismatch, v.Status);
    }

    [Fact]
    public async Task Null_empty_string_and_the_string_NULL_are_three_values()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (1, NULL), (2, ''), (3, 'NULL')) t(id, s)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (1, ''), (2, 'NULL'), (3, NULL)) t(id, s)");
        VerdictAssert.Counts(await f.ReconcileAsync(b, c, "id"), 0, 3, 0, 0, 0);
        VerdictAssert.Counts(await f.ReconcileAsync(b, c, Keyless), 0, 0, 3, 3, 0);
        VerdictAssert.Counts(await f.ReconcileAsync(b, b, Keyless), 3, 0, 0, 0, 0);
    }

    [Fact]
    public async Task Trailing_spaces_count()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT 1 AS id, 'abc' AS s");
        var c = await f.ParquetAsync("c", "SELECT 1 AS id, 'abc ' AS s");
        VerdictAssert.Counts(await f.ReconcileAsync(b, c, "id"), 0, 1, 0, 0, 0);
    }

    [Fact]
    public async Task NaN_equals_NaN_and_negative_zero_equals_zero_by_default_and_the_policy_is_reported()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (1, 'NaN'::DOUBLE), (2, -0.0::DOUBLE), (3, 1.5::DOUBLE)) t(id, x)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (1, 'NaN'::DOUBLE), (2, 0.0::DOUBLE), (3, 1.5000000000000002::DOUBLE)) t(id, x)");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 2, 1, 0, 0, 0);
        Assert.True(v.FloatPolicy.NanEqualsNan);
        Assert.True(v.FloatPolicy.NegativeZeroEqualsZero);
        VerdictAssert.Counts(await f.ReconcileAsync(b, c, Keyless), 2, 0, 1, 1, 0);

        var strict = ReconcileOptions.Default with { FloatPolicy = new FloatPolicy(NanEqualsNan: false, NegativeZeroEqualsZero: false) };
        var s = await f.ReconcileAsync(b, c, strict, "id");
        VerdictAssert.Counts(s, 0, 3, 0, 0, 0);
        Assert.False(s.FloatPolicy.NanEqualsNan);
    }

    [Fact]
    public async Task Decimals_compare_by_value_and_the_scale_difference_is_reported()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (1, 1.50::DECIMAL(10,2)), (2, 2.00::DECIMAL(10,2))) t(id, amount)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (1, 1.500::DECIMAL(12,3)), (2, 2.001::DECIMAL(12,3))) t(id, amount)");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 1, 1, 0, 0, 0);
        var difference = Assert.Single(v.SchemaDiff!.TypeDifferences);
        Assert.Equal(("amount", "DECIMAL(10,2)", "DECIMAL(12,3)"), (difference.Name, difference.Baseline, difference.Candidate));
        // Keyless: the canonical text uses the larger scale on both sides.
        VerdictAssert.Counts(await f.ReconcileAsync(b, c, Keyless), 1, 0, 1, 1, 0);
    }

    [Fact]
    public async Task Timestamps_compare_in_utc_at_microsecond_precision()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", """
            SELECT * FROM (VALUES
              (1, TIMESTAMPTZ '2024-03-01 12:00:00+00'),
              (2, TIMESTAMPTZ '2024-03-01 12:00:00.000001+00'),
              (3, TIMESTAMPTZ '2024-03-01 12:00:00+00')) t(id, ts)
            """);
        var c = await f.ParquetAsync("c", """
            SELECT * FROM (VALUES
              (1, TIMESTAMPTZ '2024-03-01 14:00:00+02'),
              (2, TIMESTAMPTZ '2024-03-01 12:00:00.000002+00'),
              (3, TIMESTAMPTZ '2024-03-01 12:00:00+00')) t(id, ts)
            """);
        VerdictAssert.Counts(await f.ReconcileAsync(b, c, "id"), 2, 1, 0, 0, 0);

        var ns = await f.ParquetAsync("ns", "SELECT 1 AS id, '2024-03-01 12:00:00.123456789'::TIMESTAMP_NS AS ts");
        var us = await f.ParquetAsync("us", "SELECT 1 AS id, '2024-03-01 12:00:00.123456'::TIMESTAMP AS ts");
        VerdictAssert.Counts(await f.ReconcileAsync(ns, us, "id"), 1, 0, 0, 0, 0);
    }

    [Fact]
    public async Task Structs_arrays_and_maps_compare_structurally()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", """
            SELECT 1 AS id, {'a': 1, 'b': [1, 2]} AS s, [1, 2, 3] AS l, MAP {'x': 1, 'y': 2} AS m
            UNION ALL SELECT 2, {'a': 2, 'b': [3]}, [4], MAP {'x': 1}
            """);
        var c = await f.ParquetAsync("c", """
            SELECT 1 AS id, {'a': 1, 'b': [1, 2]} AS s, [1, 2, 3] AS l, MAP {'y': 2, 'x': 1} AS m
            UNION ALL SELECT 2, {'a': 2, 'b': [4]}, [4, 5], MAP {'x': 2}
            """);
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 1, 1, 0, 0, 0);
        Assert.Equal((1L, 1L, 1L), (v.Column("s").Mismatches!.Value, v.Column("l").Mismatches!.Value, v.Column("m").Mismatches!.Value));
        VerdictAssert.Counts(await f.ReconcileAsync(b, c, Keyless), 1, 0, 1, 1, 0);
    }

    [Fact]
    public async Task Integer_widths_compare_by_value()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT 1::INTEGER AS id, 42::INTEGER AS n");
        var c = await f.ParquetAsync("c", "SELECT 1::BIGINT AS id, 42::BIGINT AS n");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 1, 0, 0, 0, 0);
        Assert.Equal(2, v.SchemaDiff!.TypeDifferences.Length);
        Assert.Equal(ReconciliationStatus.Match, v.Status);
        Assert.Equal(ReconciliationStatus.Mismatch, (await f.ReconcileAsync(b, c, ReconcileOptions.Default with { StrictSchema = true }, "id")).Status);
    }

    [Fact]
    public async Task Csv_tables_reconcile_like_parquet()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.CsvAsync("b", "SELECT i AS id, 'v' || i AS s FROM range(10) t(i)");
        var c = await f.CsvAsync("c", "SELECT i AS id, CASE WHEN i = 3 THEN 'w' ELSE 'v' || i END AS s FROM range(10) t(i)");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 9, 1, 0, 0, 0);
        Assert.Equal("csv", v.Baseline.Format);

        var dup = await f.CsvAsync("dup", "SELECT i % 9 AS id, 'v' || (i % 9) AS s FROM range(10) t(i)");
        VerdictAssert.Counts(await f.ReconcileAsync(b, dup, "id"), 8, 0, 1, 0, 3);
    }
}
