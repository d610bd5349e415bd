using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Lake.Engines;

namespace Modernizer.Lake.Reconciliation;

/// <summary>One column of a side, as the comparison sees it.</summary>
internal sealed record SideColumn(string Name, string Type);

/// <summary>The reconciliation as SQL, defined once and rendered per dialect (DuckDB, Spark SQL).
/// Every query is set-based: the engine joins, classifies and counts every row; C# only reads
/// the counts and the capped samples. Internal aliases start with <c>__rc_</c>.</summary>
internal sealed class ReconciliationQuery
{
    private readonly ReconcileDialect _d;
    private readonly SourceRelation _baseline;
    private readonly SourceRelation _candidate;
    private readonly ImmutableArray<SideColumn> _baselineColumns;
    private readonly ImmutableArray<SideColumn> _candidateColumns;
    private readonly ImmutableArray<string> _key;
    private readonly ImmutableArray<ColumnComparison> _compared;
    private readonly ReconcileOptions _options;

    public ReconciliationQuery(
        ReconcileDialect dialect,
        SourceRelation baseline,
        SourceRelation candidate,
        ImmutableArray<SideColumn> baselineColumns,
        ImmutableArray<SideColumn> candidateColumns,
        ImmutableArray<string> key,
        ImmutableArray<ColumnComparison> compared,
        ReconcileOptions options)
    {
        _d = dialect;
        _baseline = baseline;
        _candidate = candidate;
        _baselineColumns = baselineColumns;
        _candidateColumns = candidateColumns;
        _key = key;
        _compared = compared;
        _options = options;
    }

    public ReconcileDialect Dialect => _d;

    public ImmutableArray<ColumnComparison> Compared => _compared;

    public ImmutableArray<string> Key => _key;

    public ImmutableArray<QueryParameter> Parameters => _baseline.Parameters.AddRange(_candidate.Parameters);

    public ImmutableArray<QueryParameter> SideParameters(bool baseline) => baseline ? _baseline.Parameters : _candidate.Parameters;

    /// <summary>Text sources (CSV) have no row count in metadata: each side is parsed once into a
    /// materialized CTE that both the row count and the join read (DuckDB only).</summary>
    public bool CountsInPass => _d.Dialect == SqlDialect.DuckDb && (_baseline.Info.Format == "csv" || _candidate.Info.Format == "csv");

    /// <summary>Rows per side (metadata only for Parquet and Delta).</summary>
    public string RowCounts() =>
        $"SELECT (SELECT count(*) FROM {_baseline.Sql}) AS n_b, (SELECT count(*) FROM {_candidate.Sql}) AS n_c";

    // ---- keyed mode -------------------------------------------------------------------------

    /// <summary>Key values that occur more than once on either side (NULL is a value here).</summary>
    public string DuplicateKeys()
    {
        var keys = string.Join(", ", _key.Select(_d.Quote));
        return $"SELECT {keys} FROM {_baseline.Sql} GROUP BY {keys} HAVING count(*) > 1 "
            + $"UNION SELECT {keys} FROM {_candidate.Sql} GROUP BY {keys} HAVING count(*) > 1";
    }

    /// <summary>The side's rows whose key is (or is not) among <paramref name="duplicateKeys"/>.</summary>
    public string SideRows(bool baseline, string duplicateKeys, bool duplicates) =>
        SideRows(baseline ? _baseline.Sql : _candidate.Sql, duplicateKeys, duplicates);

    private string SideRows(string rel, string duplicateKeys, bool duplicates)
    {
        return $"SELECT * FROM {rel} AS __rc_s WHERE {(duplicates ? "" : "NOT ")}EXISTS (SELECT 1 FROM {duplicateKeys} AS __rc_dk WHERE {KeyMatch("__rc_s", "__rc_dk", sameSide: true)})";
    }

    /// <summary>The classified join: one row per pair or unpaired row, flags per compared column.
    /// With <paramref name="duplicateKeys"/> the rows with duplicate keys are left out of the join.</summary>
    public string KeyedClassified(string? duplicateKeys)
    {
        var sb = new StringBuilder();
        var materialized = CountsInPass ? "MATERIALIZED " : "";
        sb.Append($"WITH __rc_bs AS {materialized}(SELECT * FROM {_baseline.Sql}), __rc_cs AS {materialized}(SELECT * FROM {_candidate.Sql}), ");
        sb.Append("__rc_b AS (SELECT *, true AS __rc_p FROM ")
            .Append(duplicateKeys is null ? "__rc_bs" : $"({SideRows("__rc_bs", duplicateKeys, false)})").Append(" AS __rc_bs2), ");
        sb.Append("__rc_c AS (SELECT *, true AS __rc_p FROM ")
            .Append(duplicateKeys is null ? "__rc_cs" : $"({SideRows("__rc_cs", duplicateKeys, false)})").Append(" AS __rc_cs2), ");
        sb.Append("__rc_j AS (SELECT b.__rc_p IS NOT NULL AS __rc_in_b, c.__rc_p IS NOT NULL AS __rc_in_c");
        for (var i = 0; i < _baselineColumns.Length; i++)
        {
            sb.Append(", b.").Append(_d.Quote(_baselineColumns[i].Name)).Append(" AS ").Append(B(i));
        }

        for (var i = 0; i < _candidateColumns.Length; i++)
        {
            sb.Append(", c.").Append(_d.Quote(_candidateColumns[i].Name)).Append(" AS ").Append(C(i));
        }

        sb.Append(" FROM __rc_b AS b FULL OUTER JOIN __rc_c AS c ON ").Append(KeyMatch("b", "c", sameSide: false)).Append("), ");
        sb.Append("__rc_x AS (SELECT *");
        for (var i = 0; i < _compared.Length; i++)
        {
            var (b, c) = Pair(_compared[i]);
            sb.Append(", ").Append(_compared[i].Differs(_d, b, c, _options.FloatPolicy)).Append(" AS ").Append(Dflag(i));
            if (HasOwnWaivedFlag(i))
            {
                var accepted = IsNondeterministic(_compared[i].Name)
                    ? "false"
                    : _compared[i].DiffersBeyond(_d, b, c, _options.FloatPolicy, Waiver(_compared[i].Name));
                sb.Append(", ").Append(accepted).Append(" AS ").Append(Wflag(i));
            }
        }

        // The class of each row, computed once: 0 matched, 1 changed, 2 missing, 3 extra.
        sb.Append(" FROM __rc_j), __rc_y AS (SELECT *, CASE WHEN NOT __rc_in_c THEN 2 WHEN NOT __rc_in_b THEN 3 WHEN ")
            .Append(AnyFlag(Dflag)).Append(" THEN 1 ELSE 0 END AS __rc_k FROM __rc_x) ");
        return sb.ToString();
    }

    /// <summary>The single pass over the classified join (DuckDB): one GROUP BY in which every
    /// matched pair with a non-null key falls into one group and every other row into a group of
    /// its own (class, key), carrying its values. The result holds the count of every class and
    /// each non-matching row, materialized once; matched rows are counted, never written, and
    /// neither the diff nor the report needs a second pass (per-column counts come from the
    /// non-matching rows). Per-side join counts and null keys follow from the classes and keys
    /// (<see cref="KeyedPassTotals"/>), so the pass keeps two aggregates per row: a count and the
    /// first value. A keyed group of more than one row, or per-side join counts that differ from
    /// the tables' row counts, reveals duplicate keys.</summary>
    public string KeyedPass(string? duplicateKeys)
    {
        var sb = new StringBuilder(KeyedClassified(duplicateKeys));
        var key = _d.Quote("key");
        if (CountsInPass)
        {
            sb.Append("SELECT *, (SELECT count(*) FROM __rc_bs) AS rows_b, (SELECT count(*) FROM __rc_cs) AS rows_c FROM (");
        }

        // A matched pair keeps its key only when the key holds a NULL, so null keys can be counted.
        sb.Append($"SELECT __rc_k AS k, CASE WHEN __rc_k <> 0 OR {NullKey(B)} THEN (CASE WHEN __rc_in_b THEN {KeyStruct(B)} ELSE {KeyStruct(C)} END) END AS {key}, count(*) AS n");

        // One CASE per row: the values are built for the non-matching rows only.
        var payload = _d.Struct([
            ("baseline", $"CASE WHEN __rc_in_b THEN {RowStruct(true)} END"),
            ("candidate", $"CASE WHEN __rc_in_c THEN {RowStruct(false)} END"),
            ("differing_columns", $"CASE WHEN __rc_k = 1 THEN {DifferingList()} END"),
            ("beyond_waivers", $"CASE WHEN __rc_k = 1 THEN {ColumnList(Wflag)} END"),
            ("nulls_introduced", $"CASE WHEN __rc_k = 1 THEN {ColumnList(i => NullShift(i, introduced: true))} END"),
            ("nulls_filled", $"CASE WHEN __rc_k = 1 THEN {ColumnList(i => NullShift(i, introduced: false))} END"),
        ]);
        sb.Append($", first(CASE WHEN __rc_k <> 0 THEN {payload} END) AS r FROM __rc_y GROUP BY 1, 2");
        if (CountsInPass)
        {
            sb.Append(") AS __rc_pass");
        }

        return sb.ToString();
    }

    /// <summary>The totals of a <see cref="KeyedPass"/> table (one row). Baseline rows in the join
    /// are the matched, changed and missing ones; candidate rows the matched, changed and extra ones.</summary>
    public string KeyedPassTotals(string passTable)
    {
        var key = _d.Quote("key");
        var nullKey = $"({key} IS NOT NULL AND ({string.Join(" OR ", _key.Select(k => $"struct_extract({key}, {_d.Literal(k)}) IS NULL"))}))";
        var sb = new StringBuilder("SELECT ");
        foreach (var (name, filter) in new[]
        {
            ("n_b", "k IN (0, 1, 2)"), ("n_c", "k IN (0, 1, 3)"),
            ("n_matched", "k = 0"), ("n_changed", "k = 1"), ("n_missing", "k = 2"), ("n_extra", "k = 3"),
            ("n_null_b", $"k IN (0, 1, 2) AND {nullKey}"), ("n_null_c", $"k IN (0, 1, 3) AND {nullKey}"),
        })
        {
            sb.Append($"CAST(coalesce(sum(n) FILTER (WHERE {filter}), 0) AS BIGINT) AS {name}, ");
        }

        sb.Append($"CAST(coalesce(max(n) FILTER (WHERE {key} IS NOT NULL), 0) AS BIGINT) AS max_rows_per_key");
        if (CountsInPass)
        {
            sb.Append(", CAST(any_value(rows_b) AS BIGINT) AS rows_b, CAST(any_value(rows_c) AS BIGINT) AS rows_c");
        }

        return sb.Append(" FROM ").Append(passTable).ToString();
    }

    /// <summary>The non-matching rows of a <see cref="KeyedPass"/> table in the diff layout.</summary>
    public string KeyedPassDiff(string passTable) =>
        "SELECT CASE k WHEN 1 THEN 'changed' WHEN 2 THEN 'missing_in_candidate' ELSE 'extra_in_candidate' END AS class, "
        + $"{_d.Quote("key")}, struct_extract(r, 'baseline') AS baseline, struct_extract(r, 'candidate') AS candidate, "
        + "struct_extract(r, 'differing_columns') AS differing_columns, struct_extract(r, 'beyond_waivers') AS beyond_waivers, "
        + "struct_extract(r, 'nulls_introduced') AS nulls_introduced, struct_extract(r, 'nulls_filled') AS nulls_filled, "
        + $"CAST(NULL AS BIGINT) AS copies, CAST(NULL AS {_d.HashType}) AS row_hash FROM {passTable} WHERE k <> 0";

    /// <summary>The single pass of an engine without temporary tables (a SQL warehouse): class
    /// counts, per-column mismatch, waiver and null-shift counts over every pair, and null keys.</summary>
    public string KeyedAggregate(string? duplicateKeys)
    {
        var both = "__rc_in_b AND __rc_in_c";
        var anyWaived = AnyFlag(Wflag);
        var sb = new StringBuilder(KeyedClassified(duplicateKeys));
        sb.Append("SELECT count(*) FILTER (WHERE __rc_in_b) AS n_b, count(*) FILTER (WHERE __rc_in_c) AS n_c");
        sb.Append(", count(*) FILTER (WHERE __rc_k = 0) AS n_matched, count(*) FILTER (WHERE __rc_k = 1) AS n_changed");
        sb.Append(", count(*) FILTER (WHERE __rc_k = 2) AS n_missing, count(*) FILTER (WHERE __rc_k = 3) AS n_extra");
        sb.Append($", count(*) FILTER (WHERE __rc_in_b AND ({NullKey(B)})) AS n_null_b");
        sb.Append($", count(*) FILTER (WHERE __rc_in_c AND ({NullKey(C)})) AS n_null_c");
        sb.Append($", count(*) FILTER (WHERE {both} AND NOT {anyWaived}) AS n_matched_waived");
        for (var i = 0; i < _compared.Length; i++)
        {
            var idx = i.ToString(CultureInfo.InvariantCulture);
            sb.Append($", count(*) FILTER (WHERE {both} AND {Dflag(i)}) AS m_{idx}");
            sb.Append($", count(*) FILTER (WHERE {both} AND {Wflag(i)}) AS w_{idx}");
            var (b, c) = Pair(_compared[i]);
            sb.Append($", count(*) FILTER (WHERE {both} AND {b} IS NOT NULL AND {c} IS NULL) AS ni_{idx}");
            sb.Append($", count(*) FILTER (WHERE {both} AND {b} IS NULL AND {c} IS NOT NULL) AS nf_{idx}");
        }

        sb.Append(" FROM __rc_y");
        return sb.ToString();
    }

    /// <summary>Every non-matching row of the join, in the diff layout (class, key, baseline,
    /// candidate, differing_columns, copies, row_hash).</summary>
    public string KeyedDiff(string? duplicateKeys, string? onlyClass = null, int? limit = null)
    {
        var sb = new StringBuilder(KeyedClassified(duplicateKeys));
        sb.Append("SELECT * FROM (SELECT CASE WHEN NOT __rc_in_c THEN 'missing_in_candidate' WHEN NOT __rc_in_b THEN 'extra_in_candidate' ELSE 'changed' END AS class, ");
        sb.Append($"CASE WHEN __rc_in_b THEN {KeyStruct(B)} ELSE {KeyStruct(C)} END AS {_d.Quote("key")}, ");
        sb.Append($"CASE WHEN __rc_in_b THEN {RowStruct(true)} END AS baseline, CASE WHEN __rc_in_c THEN {RowStruct(false)} END AS candidate, ");
        sb.Append($"CASE WHEN __rc_in_b AND __rc_in_c THEN {DifferingList()} END AS differing_columns, ");
        sb.Append($"CASE WHEN __rc_in_b AND __rc_in_c THEN {ColumnList(Wflag)} END AS beyond_waivers, ");
        sb.Append($"CASE WHEN __rc_in_b AND __rc_in_c THEN {ColumnList(i => NullShift(i, introduced: true))} END AS nulls_introduced, ");
        sb.Append($"CASE WHEN __rc_in_b AND __rc_in_c THEN {ColumnList(i => NullShift(i, introduced: false))} END AS nulls_filled, ");
        sb.Append($"CAST(NULL AS BIGINT) AS copies, CAST(NULL AS {_d.HashType}) AS row_hash ");
        sb.Append("FROM __rc_y WHERE __rc_k <> 0) AS __rc_d");
        AppendClassFilter(sb, onlyClass, limit);
        return sb.ToString();
    }

    /// <summary>Rows of one side whose key is duplicated on either side, in the diff layout.</summary>
    public string DuplicateDiff(string duplicateKeys, bool baseline, int? limit = null)
    {
        var columns = baseline ? _baselineColumns : _candidateColumns;
        var sb = new StringBuilder("SELECT * FROM (SELECT 'duplicate_key' AS class, ");
        sb.Append(_d.Struct(_key.Select(k => (k, $"__rc_s.{_d.Quote(k)}"))));
        sb.Append($" AS {_d.Quote("key")}, ");
        var row = _d.Struct(columns.Select(c => (c.Name, $"__rc_s.{_d.Quote(c.Name)}")));
        sb.Append(baseline ? $"{row} AS baseline, NULL AS candidate" : $"NULL AS baseline, {row} AS candidate");
        sb.Append(", NULL AS differing_columns, NULL AS beyond_waivers, NULL AS nulls_introduced, NULL AS nulls_filled, CAST(NULL AS BIGINT) AS copies, NULL AS row_hash");
        sb.Append($" FROM ({SideRows(baseline, duplicateKeys, true)}) AS __rc_s) AS __rc_d");
        if (limit is int n)
        {
            sb.Append(" ORDER BY ").Append(_d.Quote("key")).Append(" LIMIT ").Append(n.ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    // ---- keyless (multiset) mode -----------------------------------------------------------

    /// <summary>Both sides grouped by the 128-bit row hash, with copies per side.</summary>
    public string KeylessGrouped()
    {
        var sb = new StringBuilder();
        sb.Append($"WITH __rc_gb AS (SELECT {RowHash(true)} AS __rc_h, count(*) AS __rc_n, any_value({RowStruct(true, "__rc_s.")}) AS __rc_r FROM {_baseline.Sql} AS __rc_s GROUP BY 1), ");
        sb.Append($"__rc_gc AS (SELECT {RowHash(false)} AS __rc_h, count(*) AS __rc_n, any_value({RowStruct(false, "__rc_s.")}) AS __rc_r FROM {_candidate.Sql} AS __rc_s GROUP BY 1), ");
        sb.Append("__rc_x AS (SELECT coalesce(gb.__rc_n, 0) AS __rc_nb, coalesce(gc.__rc_n, 0) AS __rc_nc, coalesce(gb.__rc_h, gc.__rc_h) AS __rc_h, gb.__rc_r AS __rc_rb, gc.__rc_r AS __rc_rc ");
        sb.Append("FROM __rc_gb AS gb FULL OUTER JOIN __rc_gc AS gc ON gb.__rc_h = gc.__rc_h) ");
        return sb.ToString();
    }

    /// <summary>Multiset counts: 3 copies against 2 are 2 matched and 1 missing.</summary>
    public string KeylessAggregate(bool capture)
    {
        var sb = new StringBuilder(KeylessGrouped());
        sb.Append("SELECT CAST(coalesce(sum(__rc_nb), 0) AS BIGINT) AS n_b, CAST(coalesce(sum(__rc_nc), 0) AS BIGINT) AS n_c, ");
        sb.Append("CAST(coalesce(sum(least(__rc_nb, __rc_nc)), 0) AS BIGINT) AS n_matched, ");
        sb.Append("CAST(coalesce(sum(greatest(__rc_nb - __rc_nc, 0)), 0) AS BIGINT) AS n_missing, CAST(coalesce(sum(greatest(__rc_nc - __rc_nb, 0)), 0) AS BIGINT) AS n_extra, ");
        sb.Append("count(*) FILTER (WHERE __rc_nb > __rc_nc) AS g_missing, count(*) FILTER (WHERE __rc_nc > __rc_nb) AS g_extra");
        if (capture)
        {
            var cap = _options.CaptureLimit.ToString(CultureInfo.InvariantCulture);
            sb.Append($", min_by({_d.Struct([("baseline", "__rc_rb"), ("copies", "__rc_nb - __rc_nc"), ("row_hash", "__rc_h")])}, __rc_h, {cap}) FILTER (WHERE __rc_nb > __rc_nc) AS cap_missing");
            sb.Append($", min_by({_d.Struct([("candidate", "__rc_rc"), ("copies", "__rc_nc - __rc_nb"), ("row_hash", "__rc_h")])}, __rc_h, {cap}) FILTER (WHERE __rc_nc > __rc_nb) AS cap_extra");
        }

        sb.Append(" FROM __rc_x");
        return sb.ToString();
    }

    public string KeylessDiff(string? onlyClass = null, int? limit = null)
    {
        var sb = new StringBuilder(KeylessGrouped());
        sb.Append("SELECT * FROM (SELECT CASE WHEN __rc_nb > __rc_nc THEN 'missing_in_candidate' ELSE 'extra_in_candidate' END AS class, ");
        sb.Append($"CAST(NULL AS {_d.StringType}) AS {_d.Quote("key")}, CASE WHEN __rc_nb > __rc_nc THEN __rc_rb END AS baseline, CASE WHEN __rc_nc > __rc_nb THEN __rc_rc END AS candidate, ");
        sb.Append($"CAST(NULL AS {_d.StringType}) AS differing_columns, CAST(NULL AS {_d.StringType}) AS beyond_waivers, CAST(NULL AS {_d.StringType}) AS nulls_introduced, CAST(NULL AS {_d.StringType}) AS nulls_filled, ");
        sb.Append("abs(__rc_nb - __rc_nc) AS copies, __rc_h AS row_hash FROM __rc_x WHERE __rc_nb <> __rc_nc) AS __rc_d");
        AppendClassFilter(sb, onlyClass, limit, "row_hash");
        return sb.ToString();
    }

    /// <summary>Per-column counts over the changed pairs of a complete diff table: kind m (differs),
    /// w (differs beyond waivers), ni (NULL introduced), nf (NULL filled).</summary>
    public static string DiffColumnCounts(string diffTable) =>
        "SELECT kind, col, count(*) AS n FROM ("
        + $"SELECT 'm' AS kind, unnest(differing_columns) AS col FROM {diffTable} WHERE class = 'changed' "
        + $"UNION ALL SELECT 'w', unnest(beyond_waivers) FROM {diffTable} WHERE class = 'changed' "
        + $"UNION ALL SELECT 'ni', unnest(nulls_introduced) FROM {diffTable} WHERE class = 'changed' "
        + $"UNION ALL SELECT 'nf', unnest(nulls_filled) FROM {diffTable} WHERE class = 'changed') AS u GROUP BY kind, col";

    /// <summary>Per column, the multiset difference between the unmatched baseline and candidate
    /// values (copies counted), over the full diff table.</summary>
    public string KeylessColumnMismatches(string diffTable)
    {
        var parts = new List<string>();
        for (var i = 0; i < _compared.Length; i++)
        {
            var col = _compared[i];
            var idx = i.ToString(CultureInfo.InvariantCulture);
            parts.Add($"SELECT {idx} AS col, {col.FieldEncoding(_d, _d.Field("baseline", col.Name), col.BaselineType, _options.FloatPolicy)} AS v, copies AS nb, 0 AS nc FROM {diffTable} WHERE class = 'missing_in_candidate'");
            parts.Add($"SELECT {idx} AS col, {col.FieldEncoding(_d, _d.Field("candidate", col.Name), col.CandidateType, _options.FloatPolicy)} AS v, 0 AS nb, copies AS nc FROM {diffTable} WHERE class = 'extra_in_candidate'");
        }

        if (parts.Count == 0)
        {
            return "SELECT 0 AS col, 0 AS mismatches WHERE false";
        }

        return "SELECT col, CAST(greatest(sum(nb), sum(nc)) - sum(least(nb, nc)) AS BIGINT) AS mismatches FROM ("
            + "SELECT col, v, sum(nb) AS nb, sum(nc) AS nc FROM (" + string.Join(" UNION ALL ", parts) + ") GROUP BY col, v) GROUP BY col ORDER BY col";
    }

    // ---- key inference ----------------------------------------------------------------------

    /// <summary>Rows, non-null and exact distinct counts of the candidate key columns of one side.</summary>
    public string KeyProfile(bool baseline, ImmutableArray<string> candidates)
    {
        var rel = baseline ? _baseline.Sql : _candidate.Sql;
        var sb = new StringBuilder("SELECT count(*) AS n");
        for (var i = 0; i < candidates.Length; i++)
        {
            var q = _d.Quote(candidates[i]);
            var idx = i.ToString(CultureInfo.InvariantCulture);
            sb.Append($", count({q}) AS nn_{idx}, count(DISTINCT {q}) AS nd_{idx}");
        }

        return sb.Append(" FROM ").Append(rel).ToString();
    }

    // ---- samples ----------------------------------------------------------------------------

    /// <summary>Samples of one class (or, with <paramref name="cls"/> null, the first
    /// <paramref name="limit"/> of every class in one query) with every value rendered as text in a
    /// JSON object, ordered by key (keyless: by row hash).</summary>
    public string SampleProjection(string diffRelation, string? cls, int limit, bool keyless)
    {
        var order = keyless ? "row_hash" : _d.Quote("key");
        var key = keyless || _key.IsEmpty ? "CAST(NULL AS " + _d.StringType + ")" : TextObject(_d.Quote("key"), _key);
        var select = $"SELECT class, {key} AS key_json, {TextObject("baseline", _baselineColumns.Select(c => c.Name))} AS baseline_json, "
            + $"{TextObject("candidate", _candidateColumns.Select(c => c.Name))} AS candidate_json, differing_columns, copies FROM {diffRelation} ";
        var n = limit.ToString(CultureInfo.InvariantCulture);
        return cls is null
            ? select + $"QUALIFY row_number() OVER (PARTITION BY class ORDER BY {order}) <= {n} "
                + $"ORDER BY CASE class WHEN 'changed' THEN 0 WHEN 'missing_in_candidate' THEN 1 WHEN 'extra_in_candidate' THEN 2 ELSE 3 END, {order}"
            : select + $"WHERE class = {_d.Literal(cls)} ORDER BY {order} LIMIT {n}";
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static string B(int i) => "__rc_b_" + i.ToString(CultureInfo.InvariantCulture);

    private static string C(int i) => "__rc_c_" + i.ToString(CultureInfo.InvariantCulture);

    private static string Dflag(int i) => "__rc_d_" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>The "differs beyond waivers" flag: the exact flag itself unless a waiver or a
    /// nondeterministic declaration makes it different.</summary>
    private string Wflag(int i) => HasOwnWaivedFlag(i) ? "__rc_w_" + i.ToString(CultureInfo.InvariantCulture) : Dflag(i);

    private bool HasOwnWaivedFlag(int i) => IsNondeterministic(_compared[i].Name) || Waiver(_compared[i].Name) is not null;

    private void AppendClassFilter(StringBuilder sb, string? onlyClass, int? limit, string order = "key")
    {
        if (onlyClass is not null)
        {
            sb.Append(" WHERE class = ").Append(_d.Literal(onlyClass));
        }

        if (limit is int n)
        {
            sb.Append(" ORDER BY ").Append(_d.Quote(order)).Append(" LIMIT ").Append(n.ToString(CultureInfo.InvariantCulture));
        }
    }

    private string AnyFlag(Func<int, string> flag) =>
        _compared.IsEmpty ? "false" : "(" + string.Join(" OR ", Enumerable.Range(0, _compared.Length).Select(flag)) + ")";

    private bool IsNondeterministic(string column) => _options.NondeterministicColumns.Contains(column, StringComparer.Ordinal);

    private ColumnWaiver? Waiver(string column) =>
        _options.Waivers.FirstOrDefault(w => string.Equals(w.Column, column, StringComparison.Ordinal));

    private (string Baseline, string Candidate) Pair(ColumnComparison column) =>
        (B(IndexOf(_baselineColumns, column.Name)), C(IndexOf(_candidateColumns, column.Name)));

    private static int IndexOf(ImmutableArray<SideColumn> columns, string name)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            if (string.Equals(columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Column '{name}' is not on this side.");
    }

    private string KeyMatch(string left, string right, bool sameSide)
    {
        var parts = _key.Select(k =>
        {
            var l = $"{left}.{_d.Quote(k)}";
            var r = $"{right}.{_d.Quote(k)}";
            if (!sameSide)
            {
                var b = _baselineColumns[IndexOf(_baselineColumns, k)].Type;
                var c = _candidateColumns[IndexOf(_candidateColumns, k)].Type;
                if (ColumnComparison.Create(k, b, c).Family == TypeFamily.Other)
                {
                    (l, r) = (_d.CastText(l), _d.CastText(r));
                }
            }

            return _d.NullSafeEquals(l, r);
        });
        return string.Join(" AND ", parts);
    }

    private string NullKey(Func<int, string> side)
    {
        var columns = side == B ? _baselineColumns : _candidateColumns;
        return _key.IsEmpty ? "false" : string.Join(" OR ", _key.Select(k => side(IndexOf(columns, k)) + " IS NULL"));
    }

    private string KeyStruct(Func<int, string> side)
    {
        var columns = side == B ? _baselineColumns : _candidateColumns;
        return _d.Struct(_key.Select(k => (k, side(IndexOf(columns, k)))));
    }

    private string RowStruct(bool baseline, string? prefix = null)
    {
        var columns = baseline ? _baselineColumns : _candidateColumns;
        return _d.Struct(columns.Select((c, i) => (c.Name, prefix is null ? (baseline ? B(i) : C(i)) : prefix + _d.Quote(c.Name))));
    }

    private string DifferingList() => ColumnList(Dflag);

    private string NullShift(int i, bool introduced)
    {
        var (b, c) = Pair(_compared[i]);
        return introduced ? $"({b} IS NOT NULL AND {c} IS NULL)" : $"({b} IS NULL AND {c} IS NOT NULL)";
    }

    /// <summary>The names of the compared columns for which <paramref name="flag"/> holds, in order.</summary>
    private string ColumnList(Func<int, string> flag)
    {
        if (_compared.IsEmpty)
        {
            return $"CAST([] AS {_d.StringType}[])";
        }

        var items = string.Join(", ", _compared.Select((c, i) => $"CASE WHEN {flag(i)} THEN {_d.Literal(c.Name)} END"));
        return _d.Dialect == SqlDialect.DuckDb
            ? $"list_filter([{items}], lambda __rc_v: __rc_v IS NOT NULL)"
            : $"filter(array({items}), __rc_v -> __rc_v IS NOT NULL)";
    }

    private string RowHash(bool baseline)
    {
        if (_compared.IsEmpty)
        {
            return _d.Hash128("''");
        }

        var fields = _compared.Select(c =>
            c.FieldEncoding(_d, "__rc_s." + _d.Quote(c.Name), baseline ? c.BaselineType : c.CandidateType, _options.FloatPolicy));
        return _d.Hash128("concat(" + string.Join(", ", fields) + ")");
    }

    private string TextObject(string structColumn, IEnumerable<string> fields)
    {
        var members = _d.Struct(fields.Select(f => (f, _d.CastText(_d.Field(structColumn, f)))));
        return $"CASE WHEN {structColumn} IS NULL THEN NULL ELSE {_d.ToJson(members)} END";
    }
}
