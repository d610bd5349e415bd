using Modernizer.Lake.Reconciliation;

namespace Modernizer.Lake.Tests.Reconciliation;

/// <summary>R4.4 item 1: keyed and keyless modes; every row in exactly one class.</summary>
public sealed class ReconcilerClassTests
{
    private const string Base = "SELECT i AS id, 'n' || i AS name, i * 10 AS amount FROM range(1, 101) t(i)";

    [Fact]
    public async Task Identical_tables_match_exactly()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var v = await f.ReconcileAsync(await f.ParquetAsync("b", Base), await f.ParquetAsync("c", Base), "id");
        Assert.Equal(ReconciliationStatus.Match, v.Status);
        Assert.Equal(1.0, v.MatchRate);
        VerdictAssert.Counts(v, 100, 0, 0, 0, 0);
        Assert.All(v.Columns, c => Assert.Equal(0, c.Mismatches));
        Assert.Empty(v.Samples);
        Assert.Equal(Reconciler.EncodingVersion, v.EncodingVersion);
    }

    [Fact]
    public async Task Changed_missing_and_extra_rows_are_classed_and_counted_per_column()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", Base);
        var c = await f.ParquetAsync("c", """
            SELECT id, CASE WHEN id IN (5, 6) THEN 'x' ELSE name END AS name, CASE WHEN id = 6 THEN -1 ELSE amount END AS amount
            FROM (SELECT i AS id, 'n' || i AS name, i * 10 AS amount FROM range(1, 101) t(i)) WHERE id <> 50
            UNION ALL SELECT 1000, 'new', 0
            """);
        var v = await f.ReconcileAsync(b, c, "id");
        Assert.Equal(ReconciliationStatus.Mismatch, v.Status);
        VerdictAssert.Counts(v, 97, 2, 1, 1, 0);
        Assert.Equal(2, v.Column("name").Mismatches);
        Assert.Equal(1, v.Column("amount").Mismatches);
        Assert.Equal(1.0 - (1.0 / 99), v.Column("amount").MatchRate!.Value, 9);
        Assert.Equal(97.0 / 101, v.MatchRate!.Value, 9);
        var changed = v.Samples.Of("changed");
        Assert.Equal(["5", "6"], changed.Select(s => s.Key!.Value.GetProperty("id").GetString()));
        Assert.Equal<string>(["name", "amount"], changed[1].DifferingColumns);
        Assert.Equal("n6", changed[1].Baseline!.Value.GetProperty("name").GetString());
        Assert.Equal("x", changed[1].Candidate!.Value.GetProperty("name").GetString());
        Assert.Equal("50", v.Samples.Of("missing_in_candidate").Single().Key!.Value.GetProperty("id").GetString());
        Assert.Equal("1000", v.Samples.Of("extra_in_candidate").Single().Key!.Value.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Duplicate_keys_on_both_sides_are_never_joined_many_to_many()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        // key 1: twice in baseline, once in candidate; key 2: twice on both; key 3: twice in baseline only.
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (1, 'a'), (1, 'a'), (2, 'b'), (2, 'b'), (3, 'c'), (3, 'c'), (4, 'd')) t(id, v)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (2, 'b'), (4, 'd'), (5, 'e')) t(id, v)");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 1, 0, 0, 1, 9);
        Assert.Equal(6, v.Rows.DuplicateKeysBaseline);
        Assert.Equal(3, v.Rows.DuplicateKeysCandidate);
        Assert.Equal(ReconciliationStatus.Mismatch, v.Status);
        Assert.Equal(9, v.Samples.Of("duplicate_key").Length);
        Assert.Contains(v.Notes, n => n.Contains("duplicate_key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unmatched_duplicate_keys_without_fan_out_are_found_too()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (1, 'a'), (3, 'c'), (3, 'c')) t(id, v)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (1, 'a'), (4, 'd'), (4, 'e')) t(id, v)");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 1, 0, 0, 0, 4);
    }

    [Fact]
    public async Task Null_keys_match_null_safely_and_repeated_null_keys_are_duplicates()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (NULL, 1, 'x'), (1, NULL, 'y'), (2, 2, 'z')) t(k1, k2, v)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (NULL, 1, 'x'), (1, NULL, 'changed'), (1, NULL, 'again'), (2, 2, 'z')) t(k1, k2, v)");
        var v = await f.ReconcileAsync(b, c, "k1", "k2");
        VerdictAssert.Counts(v, 2, 0, 0, 0, 3);
        Assert.Equal(2, v.Rows.NullKeysBaseline);
        Assert.Equal(3, v.Rows.NullKeysCandidate);
    }

    [Fact]
    public async Task Unique_null_keys_are_matched_changed_missing_or_extra_and_counted_per_side()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        // (NULL, 1) matched, (1, NULL) changed, (NULL, 2) missing, (NULL, 3) extra: no key repeats.
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (NULL, 1, 'x'), (1, NULL, 'y'), (NULL, 2, 'm'), (2, 2, 'z')) t(k1, k2, v)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (NULL, 1, 'x'), (1, NULL, 'changed'), (NULL, 3, 'e'), (2, 2, 'z')) t(k1, k2, v)");
        var v = await f.ReconcileAsync(b, c, "k1", "k2");
        VerdictAssert.Counts(v, 2, 1, 1, 1, 0);
        Assert.Equal(3, v.Rows.NullKeysBaseline);
        Assert.Equal(3, v.Rows.NullKeysCandidate);
        Assert.DoesNotContain(v.Notes, n => n.Contains("duplicate_key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repeated_key_whose_rows_all_match_is_still_a_duplicate()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        // Both baseline rows with key 1 equal the one candidate row: the join shows no difference,
        // only one more candidate row than the candidate has.
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (1, 'a'), (1, 'a'), (2, 'b')) t(id, v)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, v)");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 1, 0, 0, 0, 3);
        Assert.Equal(ReconciliationStatus.Mismatch, v.Status);
    }

    [Fact]
    public async Task Csv_sides_are_read_once_and_counted_in_the_same_pass()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = Path.Combine(f.Root, "b.csv");
        var c = Path.Combine(f.Root, "c.csv");
        await File.WriteAllTextAsync(b, "id,name\n1,a\n2,b\n3,c\n");
        await File.WriteAllTextAsync(c, "id,name\n1,a\n2,B\n4,d\n");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 1, 1, 1, 1, 0);
        Assert.Equal((3L, 3L), (v.Rows.Baseline!.Value, v.Rows.Candidate!.Value));
    }

    [Fact]
    public async Task Keyless_mode_counts_copies_exactly()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (1.5, 'a'), (1.5, 'a'), (1.5, 'a'), (2.0, 'b')) t(x, s)");
        var c = await f.ParquetAsync("c", "SELECT * FROM (VALUES (1.5, 'a'), (1.5, 'a'), (2.0, 'b'), (9.0, 'z')) t(x, s)");
        var v = await f.ReconcileAsync(b, c, ReconcileOptions.Default with { Keyless = true });
        Assert.True(v.Error is null, v.Error);
        Assert.Equal(ReconciliationMode.Keyless, v.Mode);
        VerdictAssert.Counts(v, 3, 0, 1, 1, 0);
        var missing = v.Samples.Of("missing_in_candidate").Single();
        Assert.Equal(1, missing.Copies);
        Assert.Equal("a", missing.Baseline!.Value.GetProperty("s").GetString());
        Assert.Equal(1, v.Column("x").Mismatches);
        Assert.Equal(1, v.Column("s").Mismatches);
    }

    [Fact]
    public async Task A_key_unique_and_non_null_on_both_sides_is_inferred()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT i % 3 AS grp, i AS id, 'v' AS v FROM range(10) t(i)");
        var c = await f.ParquetAsync("c", "SELECT i % 3 AS grp, i AS id, CASE WHEN i = 4 THEN 'w' ELSE 'v' END AS v FROM range(10) t(i)");
        var v = await f.ReconcileAsync(b, c);
        Assert.Equal(KeySource.Inferred, v.KeySource);
        Assert.Equal<string>(["id"], v.Key);
        VerdictAssert.Counts(v, 9, 1, 0, 0, 0);
    }

    [Fact]
    public async Task Without_a_unique_column_the_reconciler_falls_back_to_keyless()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT * FROM (VALUES (1, 'a'), (1, 'a')) t(x, s)");
        var v = await f.ReconcileAsync(b, b);
        Assert.True(v.Error is null, v.Error);
        Assert.Equal(KeySource.None, v.KeySource);
        Assert.True(v.Error is null, v.Error);
        Assert.Equal(ReconciliationMode.Keyless, v.Mode);
        VerdictAssert.Counts(v, 2, 0, 0, 0, 0);
    }

    [Fact]
    public async Task Empty_tables_match()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", "SELECT 1 AS id, 'x' AS s WHERE false");
        var v = await f.ReconcileAsync(b, b, "id");
        Assert.True(v.Error is null, v.Error);
        Assert.Equal(ReconciliationStatus.Match, v.Status);
        Assert.Equal(1.0, v.MatchRate);
        VerdictAssert.Counts(v, 0, 0, 0, 0, 0);
        var keyless = await f.ReconcileAsync(b, b, ReconcileOptions.Default with { Keyless = true });
        Assert.Equal(ReconciliationStatus.Match, keyless.Status);
    }

    [Fact]
    public async Task An_empty_candidate_misses_every_row()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", Base);
        var c = await f.ParquetAsync("c", Base + " WHERE false");
        var v = await f.ReconcileAsync(b, c, "id");
        VerdictAssert.Counts(v, 0, 0, 100, 0, 0);
        Assert.Equal(0.0, v.MatchRate);
    }

    [Fact]
    public async Task More_differences_than_the_capture_limit_give_the_same_result_and_the_whole_diff()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", Base);
        var c = await f.ParquetAsync("c", "SELECT id, CASE WHEN id % 2 = 0 THEN 'x' ELSE name END AS name, amount FROM (" + Base + ") WHERE id <> 7");
        var small = ReconcileOptions.Default with { CaptureLimit = 5, SampleLimit = 3, DiffPath = Path.Combine(f.Root, "out", "diff.parquet") };
        var v = await f.ReconcileAsync(b, c, small, "id");
        VerdictAssert.Counts(v, 49, 50, 1, 0, 0);
        Assert.Equal(3, v.Samples.Of("changed").Length);
        Assert.Equal(["2", "4", "6"], v.Samples.Of("changed").Select(s => s.Key!.Value.GetProperty("id").GetString()));
        // Keyed mode keeps every non-matching row in its single pass: no second pass, whatever the limit.
        Assert.DoesNotContain(v.Notes, n => n.Contains("second pass", StringComparison.Ordinal));
        var rows = await f.Engine.QueryAsync("SELECT class, count(*) FROM read_parquet($p) GROUP BY class ORDER BY class", [new("p", v.DiffPath)], CancellationToken.None);
        Assert.Equal(["changed:50", "missing_in_candidate:1"], rows.Rows.Select(r => $"{r[0]}:{r[1]}"));

        // Keyless mode captures up to the limit and writes a larger diff with a second pass.
        var keyless = await f.ReconcileAsync(b, c, small with { Keyless = true, DiffPath = Path.Combine(f.Root, "out", "keyless.parquet") });
        Assert.Contains(keyless.Notes, n => n.Contains("second pass", StringComparison.Ordinal));
        Assert.Equal((51L, 50L), (keyless.Rows.MissingInCandidate!.Value, keyless.Rows.ExtraInCandidate!.Value));
        var keylessRows = await f.Engine.QueryAsync("SELECT class, count(*) FROM read_parquet($p) GROUP BY class ORDER BY class", [new("p", keyless.DiffPath)], CancellationToken.None);
        Assert.Equal(["extra_in_candidate:50", "missing_in_candidate:51"], keylessRows.Rows.Select(r => $"{r[0]}:{r[1]}"));
    }

    [Fact]
    public async Task The_full_diff_is_written_to_parquet()
    {
        await using var f = await ReconcileFixture.CreateAsync();
        var b = await f.ParquetAsync("b", Base);
        var c = await f.ParquetAsync("c", "SELECT id, name, CASE WHEN id = 3 THEN 0 ELSE amount END AS amount FROM (" + Base + ") UNION ALL SELECT 500, 'x', 1");
        var options = ReconcileOptions.Default with { DiffPath = Path.Combine(f.Root, "out", "diff.parquet") };
        var v = await f.ReconcileAsync(b, c, options, "id");
        Assert.NotNull(v.DiffPath);
        var rows = await f.Engine.QueryAsync(
            "SELECT class, struct_extract(baseline, 'amount'), struct_extract(candidate, 'amount'), differing_columns FROM read_parquet($p) ORDER BY class",
            [new("p", v.DiffPath)],
            CancellationToken.None);
        Assert.Equal(2, rows.Rows.Length);
        Assert.Equal("changed", rows.Rows[0][0]);
        Assert.Equal(30L, Convert.ToInt64(rows.Rows[0][1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("extra_in_candidate", rows.Rows[1][0]);
    }
}
