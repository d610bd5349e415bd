using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Lake.Engines;

namespace Modernizer.Lake.Reconciliation;

/// <summary>Class counts of one comparison. Every row of each side is in exactly one class.</summary>
internal sealed record ClassCounts(
    long Baseline,
    long Candidate,
    long Matched,
    long Changed,
    long Missing,
    long Extra,
    long DuplicatesBaseline,
    long DuplicatesCandidate,
    long MatchedWaived,
    long NullKeysBaseline,
    long NullKeysCandidate)
{
    /// <summary>The reconciler's own invariant: a violation is a defect, never a verdict.</summary>
    public void AssertEveryRowClassified()
    {
        if (Baseline != Matched + Changed + Missing + DuplicatesBaseline || Candidate != Matched + Changed + Extra + DuplicatesCandidate)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Row classes do not add up: baseline {Baseline} vs {Matched}+{Changed}+{Missing}+{DuplicatesBaseline}, candidate {Candidate} vs {Matched}+{Changed}+{Extra}+{DuplicatesCandidate}."));
        }
    }
}

internal sealed record ComparisonRun(
    ClassCounts Counts,
    ImmutableArray<long> ColumnMismatches,
    ImmutableArray<long> ColumnWaivedMismatches,
    ImmutableArray<SampleRow> Samples,
    string? DiffPath)
{
    /// <summary>Per compared column: nulls introduced and nulls filled (keyed mode only).</summary>
    public ImmutableArray<(long Introduced, long Filled)>? NullShifts { get; init; }
}

public sealed partial class Reconciler
{
    private static readonly string[] SampleClasses = ["changed", "missing_in_candidate", "extra_in_candidate", "duplicate_key"];

    private async Task<ComparisonRun> RunKeyedAsync(ReconciliationQuery query, ReconcileRequest request, ImmutableArray<string>.Builder notes, CancellationToken ct)
    {
        var options = request.Options;
        long rowsB = -1, rowsC = -1;
        if (!query.CountsInPass)
        {
            var sides = (await _engine.QueryAsync(query.RowCounts(), query.Parameters, ct)).Rows[0];
            (rowsB, rowsC) = (ToLong(sides[0]), ToLong(sides[1]));
        }

        if (query.Dialect.Dialect != SqlDialect.DuckDb)
        {
            return await RunKeyedRemoteAsync(query, options, rowsB, rowsC, notes, ct);
        }

        var id = "__rc_" + Guid.NewGuid().ToString("N")[..12];
        string pass = id + "_pass", diff = id + "_diff", dk = id + "_dk";
        try
        {
            await ExecAsync($"CREATE TEMP TABLE {pass} AS {query.KeyedPass(null)}", query.Parameters, ct);
            var totals = await _engine.QueryAsync(query.KeyedPassTotals(pass), null, ct);
            if (query.CountsInPass)
            {
                (rowsB, rowsC) = (Long(totals, "rows_b"), Long(totals, "rows_c"));
            }

            // A key repeated on one side multiplies its partner's rows in the join (the per-side
            // join counts exceed the tables' row counts) or gathers several one-sided rows into one
            // (class, key) group; with neither, every key is unique and the pass is final.
            var duplicates = Long(totals, "n_b") != rowsB || Long(totals, "n_c") != rowsC || Long(totals, "max_rows_per_key") > 1;
            long dupB = 0, dupC = 0, dupNullB = 0, dupNullC = 0;
            if (duplicates)
            {
                notes.Add("Duplicate keys found: every row whose key occurs more than once on either side is classed duplicate_key and kept out of the join (never joined many-to-many).");
                await ExecAsync($"CREATE TEMP TABLE {dk} AS {query.DuplicateKeys()}", query.Parameters, ct);
                await ExecAsync($"DROP TABLE {pass}", null, ct);
                await ExecAsync($"CREATE TEMP TABLE {pass} AS {query.KeyedPass(dk)}", query.Parameters, ct);
                totals = await _engine.QueryAsync(query.KeyedPassTotals(pass), null, ct);
            }

            await ExecAsync($"CREATE TEMP TABLE {diff} AS {query.KeyedPassDiff(pass)}", null, ct);
            if (duplicates)
            {
                await ExecAsync($"INSERT INTO {diff} {query.DuplicateDiff(dk, baseline: true)}", query.SideParameters(true), ct);
                await ExecAsync($"INSERT INTO {diff} {query.DuplicateDiff(dk, baseline: false)}", query.SideParameters(false), ct);
                var nullKey = string.Join(" OR ", query.Key.Select(k => $"struct_extract(\"key\", {query.Dialect.Literal(k)}) IS NULL"));
                var dups = (await _engine.QueryAsync(
                    $"SELECT count(*) FILTER (WHERE baseline IS NOT NULL), count(*) FILTER (WHERE candidate IS NOT NULL), "
                    + $"count(*) FILTER (WHERE baseline IS NOT NULL AND ({nullKey})), count(*) FILTER (WHERE candidate IS NOT NULL AND ({nullKey})) "
                    + $"FROM {diff} WHERE class = 'duplicate_key'",
                    null,
                    ct)).Rows[0];
                (dupB, dupC, dupNullB, dupNullC) = (ToLong(dups[0]), ToLong(dups[1]), ToLong(dups[2]), ToLong(dups[3]));
            }

            var stats = await DiffColumnStatsAsync(query, diff, ct);
            var counts = KeyedCounts(totals, rowsB, rowsC, dupB, dupC, Long(totals, "n_matched") + stats.ChangedWithinWaivers);
            counts = counts with { NullKeysBaseline = counts.NullKeysBaseline + dupNullB, NullKeysCandidate = counts.NullKeysCandidate + dupNullC };
            var samples = await SamplesAsync(query, diff, options.SampleLimit, keyless: false, null, ct);
            var diffPath = await WriteDiffAsync(diff, options.DiffPath, ct);
            return new ComparisonRun(counts, stats.Mismatches, stats.Waived, samples, diffPath) { NullShifts = stats.NullShifts };
        }
        finally
        {
            await ExecAsync($"DROP TABLE IF EXISTS {pass}; DROP TABLE IF EXISTS {diff}; DROP TABLE IF EXISTS {dk}", null, CancellationToken.None);
        }
    }

    /// <summary>Engines without temporary tables (a SQL warehouse): duplicate keys are always set
    /// aside by a subquery, samples come from ordered, limited queries, and the diff stays there.</summary>
    private async Task<ComparisonRun> RunKeyedRemoteAsync(ReconciliationQuery query, ReconcileOptions options, long rowsB, long rowsC, ImmutableArray<string>.Builder notes, CancellationToken ct)
    {
        var dk = $"({query.DuplicateKeys()})";
        var agg = await _engine.QueryAsync(query.KeyedAggregate(dk), query.Parameters, ct);
        var nullKey = string.Join(" OR ", query.Key.Select(k => $"x.{query.Dialect.Quote(k)} IS NULL"));
        var dupsB = (await _engine.QueryAsync($"SELECT count(*), count(*) FILTER (WHERE {nullKey}) FROM ({query.SideRows(true, dk, true)}) AS x", query.Parameters, ct)).Rows[0];
        var dupsC = (await _engine.QueryAsync($"SELECT count(*), count(*) FILTER (WHERE {nullKey}) FROM ({query.SideRows(false, dk, true)}) AS x", query.Parameters, ct)).Rows[0];
        var (dupB, dupC) = (ToLong(dupsB[0]), ToLong(dupsC[0]));
        var samples = ImmutableArray.CreateBuilder<SampleRow>();
        foreach (var cls in SampleClasses[..3])
        {
            samples.AddRange(await SamplesAsync(query, $"({query.KeyedDiff(dk, cls, options.SampleLimit)}) AS __rc_dd", options.SampleLimit, false, cls, ct));
        }

        foreach (var side in new[] { true, false })
        {
            samples.AddRange(await SamplesAsync(query, $"({query.DuplicateDiff(dk, side, options.SampleLimit)}) AS __rc_dd", options.SampleLimit, false, "duplicate_key", ct));
        }

        if (options.DiffPath is not null)
        {
            notes.Add("The full diff stays in the warehouse: a remote engine does not write a local Parquet diff.");
        }

        var counts = KeyedCounts(agg, rowsB, rowsC, dupB, dupC, Long(agg, "n_matched_waived"));
        counts = counts with { NullKeysBaseline = counts.NullKeysBaseline + ToLong(dupsB[1]), NullKeysCandidate = counts.NullKeysCandidate + ToLong(dupsC[1]) };
        return new ComparisonRun(counts, ColumnCounts(agg, "m_", query), ColumnCounts(agg, "w_", query), samples.ToImmutable(), null) { NullShifts = NullShifts(agg, query) };
    }

    private async Task<ComparisonRun> RunKeylessAsync(ReconciliationQuery query, ReconcileRequest request, ImmutableArray<string>.Builder notes, CancellationToken ct)
    {
        var options = request.Options;
        if (!options.Waivers.IsEmpty)
        {
            notes.Add("Waivers apply to paired rows only; keyless mode reports the exact result.");
        }

        if (query.Dialect.Dialect != SqlDialect.DuckDb)
        {
            var remote = await _engine.QueryAsync(query.KeylessAggregate(capture: false), query.Parameters, ct);
            var diffRel = $"({query.KeylessDiff()}) AS __rc_dd";
            var mismatches = await KeylessColumnsAsync(query, diffRel, query.Parameters, ct);
            var samples = ImmutableArray.CreateBuilder<SampleRow>();
            foreach (var cls in SampleClasses[1..3])
            {
                samples.AddRange(await SamplesAsync(query, $"({query.KeylessDiff(cls, options.SampleLimit)}) AS __rc_dd", options.SampleLimit, true, cls, ct));
            }

            return new ComparisonRun(KeylessCounts(remote), mismatches, mismatches, samples.ToImmutable(), null);
        }

        var id = "__rc_" + Guid.NewGuid().ToString("N")[..12];
        string sum = id + "_sum", diff = id + "_diff";
        try
        {
            await ExecAsync($"CREATE TEMP TABLE {sum} AS {query.KeylessAggregate(capture: true)}", query.Parameters, ct);
            var agg = await ReadAggregateAsync(sum, ct);
            if (Long(agg, "g_missing") > options.CaptureLimit || Long(agg, "g_extra") > options.CaptureLimit)
            {
                notes.Add("More unmatched rows than the capture limit: a second pass wrote the full diff.");
                await ExecAsync($"CREATE TEMP TABLE {diff} AS {query.KeylessDiff()}", query.Parameters, ct);
            }
            else
            {
                await ExecAsync(
                    $"CREATE TEMP TABLE {diff} AS "
                    + "SELECT 'missing_in_candidate' AS class, CAST(NULL AS VARCHAR) AS \"key\", struct_extract(u, 'baseline') AS baseline, NULL AS candidate, "
                    + "CAST(NULL AS VARCHAR) AS differing_columns, CAST(NULL AS VARCHAR) AS beyond_waivers, CAST(NULL AS VARCHAR) AS nulls_introduced, CAST(NULL AS VARCHAR) AS nulls_filled, "
                    + $"struct_extract(u, 'copies') AS copies, struct_extract(u, 'row_hash') AS row_hash FROM (SELECT unnest(cap_missing) AS u FROM {sum}) AS m "
                    + $"UNION ALL SELECT 'extra_in_candidate', NULL, NULL, struct_extract(u, 'candidate'), NULL, NULL, NULL, NULL, struct_extract(u, 'copies'), struct_extract(u, 'row_hash') FROM (SELECT unnest(cap_extra) AS u FROM {sum}) AS e",
                    null,
                    ct);
            }

            var mismatches = await KeylessColumnsAsync(query, diff, null, ct);
            var samples = await SamplesAsync(query, diff, options.SampleLimit, keyless: true, null, ct);
            var diffPath = await WriteDiffAsync(diff, options.DiffPath, ct);
            return new ComparisonRun(KeylessCounts(agg), mismatches, mismatches, samples, diffPath);
        }
        finally
        {
            await ExecAsync($"DROP TABLE IF EXISTS {sum}; DROP TABLE IF EXISTS {diff}", null, CancellationToken.None);
        }
    }

    private async Task<ImmutableArray<long>> KeylessColumnsAsync(ReconciliationQuery query, string diffRelation, IReadOnlyList<QueryParameter>? parameters, CancellationToken ct)
    {
        var result = new long[query.Compared.Length];
        var rows = await _engine.QueryAsync(query.KeylessColumnMismatches(diffRelation), parameters, ct);
        foreach (var row in rows.Rows)
        {
            result[(int)ToLong(row[0])] = ToLong(row[1]);
        }

        return [.. result];
    }

    private async Task<ImmutableArray<SampleRow>> SamplesAsync(
        ReconciliationQuery query, string diffRelation, int limit, bool keyless, string? onlyClass, CancellationToken ct)
    {
        var samples = ImmutableArray.CreateBuilder<SampleRow>();
        var parameters = diffRelation.StartsWith('(') ? query.Parameters : [];
        var rows = await _engine.QueryAsync(query.SampleProjection(diffRelation, onlyClass, limit, keyless), parameters.IsEmpty ? null : parameters, ct);
        foreach (var row in rows.Rows)
        {
            samples.Add(new SampleRow((string)row[0]!, Json(row[1]), Json(row[2]), Json(row[3]), Names(row[4]), row[5] is null ? null : ToLong(row[5])));
        }

        return samples.ToImmutable();
    }

    private async Task<string?> WriteDiffAsync(string diff, string? target, CancellationToken ct)
    {
        if (target is null)
        {
            return null;
        }

        var full = Path.GetFullPath(target);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await ExecAsync(
                $"COPY (SELECT * REPLACE (CAST(row_hash AS VARCHAR) AS row_hash) FROM {diff} ORDER BY class, \"key\", row_hash) TO $rc_diff_path (FORMAT parquet)",
                [new QueryParameter("rc_diff_path", temp)],
                ct);
            File.Move(temp, full, overwrite: true);
            return full;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private Task<long> ExecAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken ct) =>
        _engine.ExecuteAsync(sql, parameters is { Count: > 0 } ? parameters : null, ct);

    private async Task<QueryResult> ReadAggregateAsync(string sum, CancellationToken ct) =>
        await _engine.QueryAsync($"SELECT COLUMNS(lambda c: NOT starts_with(c, 'cap_')) FROM {sum}", null, ct);

    private static long Long(QueryResult result, string column) => ToLong(result.Rows[0][result.Ordinal(column)]);

    private async Task<(ImmutableArray<long> Mismatches, ImmutableArray<long> Waived, ImmutableArray<(long Introduced, long Filled)> NullShifts, long ChangedWithinWaivers)> DiffColumnStatsAsync(
        ReconciliationQuery query, string diff, CancellationToken ct)
    {
        var index = query.Compared.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var m = new long[index.Count];
        var w = new long[index.Count];
        var ni = new long[index.Count];
        var nf = new long[index.Count];
        foreach (var row in (await _engine.QueryAsync(ReconciliationQuery.DiffColumnCounts(diff), null, ct)).Rows)
        {
            var target = (string)row[0]! switch { "m" => m, "w" => w, "ni" => ni, _ => nf };
            target[index[(string)row[1]!]] = ToLong(row[2]);
        }

        var within = ToLong((await _engine.QueryAsync($"SELECT count(*) FROM {diff} WHERE class = 'changed' AND len(beyond_waivers) = 0", null, ct)).Scalar);
        return ([.. m], [.. w], [.. ni.Zip(nf)], within);
    }

    private static ClassCounts KeyedCounts(QueryResult agg, long rowsB, long rowsC, long dupB, long dupC, long matchedWaived) => new(
        rowsB,
        rowsC,
        Long(agg, "n_matched"),
        Long(agg, "n_changed"),
        Long(agg, "n_missing"),
        Long(agg, "n_extra"),
        dupB,
        dupC,
        matchedWaived,
        Long(agg, "n_null_b"),
        Long(agg, "n_null_c"));

    private static ClassCounts KeylessCounts(QueryResult agg)
    {
        var matched = Long(agg, "n_matched");
        return new ClassCounts(Long(agg, "n_b"), Long(agg, "n_c"), matched, 0, Long(agg, "n_missing"), Long(agg, "n_extra"), 0, 0, matched, 0, 0);
    }

    private static ImmutableArray<long> ColumnCounts(QueryResult agg, string prefix, ReconciliationQuery query) =>
        [.. Enumerable.Range(0, query.Compared.Length).Select(i => Long(agg, prefix + i.ToString(CultureInfo.InvariantCulture)))];

    private static ImmutableArray<(long Introduced, long Filled)> NullShifts(QueryResult agg, ReconciliationQuery query) =>
        [.. Enumerable.Range(0, query.Compared.Length).Select(i => i.ToString(CultureInfo.InvariantCulture)).Select(i => (Long(agg, "ni_" + i), Long(agg, "nf_" + i)))];

    private static JsonElement? Json(object? value) =>
        value is string text ? JsonDocument.Parse(text).RootElement.Clone() : null;

    private static ImmutableArray<string> Names(object? value) => value switch
    {
        null => [],
        string text when text.StartsWith('[') => [.. JsonSerializer.Deserialize<string[]>(text) ?? []],
        IEnumerable items => [.. items.Cast<object?>().Select(x => Convert.ToString(x, CultureInfo.InvariantCulture) ?? "")],
        _ => [],
    };
}
