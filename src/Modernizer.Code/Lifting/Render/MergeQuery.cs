using Modernizer.Code.Emit;
using Modernizer.Code.Lifting.Semantics;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting.Render;

/// <summary>A Delta MERGE written as the query of the table's content after it (for the DuckDB
/// rendering, which must end in a SELECT of the target's rows). Delta's semantics, clause by clause:
/// a target row matched by a source row takes the first WHEN MATCHED clause whose condition holds
/// (update or delete), or stays as it is; a source row matched by no target row is inserted by the
/// first WHEN NOT MATCHED clause whose condition holds; a target row matched by no source row takes
/// the first WHEN NOT MATCHED BY SOURCE clause, or stays. A target row matched by several source
/// rows is an error, as in Delta.</summary>
internal static class MergeQuery
{
    public static string Render(RewriteTarget target, Query source, ExactLowering lowering, Dialect dialect)
    {
        var merge = target.Merge ?? throw new InvalidOperationException($"The merge into {target.Name} has no merge details.");
        var t = merge.TargetAlias ?? "t";
        var s = merge.SourceAlias ?? "s";
        var columns = target.Schema.Columns.Select(c => c.Name).ToList();
        string Q(string name) => dialect.QuoteIdentifier(name);
        string E(Expr expr) => SqlPrinter.Print(lowering.Lower(expr), dialect);
        string Col(string alias, string column) => $"{Q(alias)}.{Q(column)}";
        var fail = dialect == Dialect.DuckDb ? "error" : "raise_error";

        var matched = merge.Clauses.Where(c => c.Match == MergeMatch.Matched).ToList();
        var inserts = merge.Clauses.Where(c => c.Match == MergeMatch.NotMatchedByTarget).ToList();
        var bySource = merge.Clauses.Where(c => c.Match == MergeMatch.NotMatchedBySource).ToList();

        // The first applicable clause of a list, as a CASE over the clauses' conditions.
        string Pick(IReadOnlyList<MergeClause> clauses, Func<MergeClause, string> value, string otherwise) =>
            clauses.Count == 0
                ? otherwise
                : "CASE " + string.Join(" ", clauses.Select(c => $"WHEN {(c.Condition is null ? "TRUE" : E(c.Condition))} THEN {value(c)}")) + $" ELSE {otherwise} END";

        string Updated(MergeClause clause, string column) => clause.Action switch
        {
            MergeUpdate { IsStar: true } => Col(s, column),
            MergeUpdate update => update.Assignments.Items.FirstOrDefault(a => string.Equals(a.Column[^1].Text, column, StringComparison.OrdinalIgnoreCase)) is { } assignment
                ? E(assignment.Value)
                : Col(t, column),
            _ => Col(t, column),
        };

        string Inserted(MergeClause clause, string column) => clause.Action switch
        {
            MergeInsert { IsStar: true } => Col(s, column),
            MergeInsert insert => insert.Columns.Items.ToList().FindIndex(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase)) is var index and >= 0
                ? E(insert.Values[index])
                : "NULL",
            _ => "NULL",
        };

        string Deleted(IReadOnlyList<MergeClause> clauses) => Pick(clauses, c => c.Action is MergeDelete ? "TRUE" : "FALSE", "FALSE");

        var on = E(merge.On);
        var old = $"SELECT *, row_number() OVER () AS __mz_row FROM {JobRenderer.Name(target.Table, dialect)}";
        var pairs = $"SELECT {Q(t)}.__mz_row FROM _mz_old AS {Q(t)} JOIN _mz_source AS {Q(s)} ON {on}";

        var keptTarget = bySource.Count == 0
            ? $"SELECT {string.Join(", ", columns.Select(c => Col(t, c)))} FROM _mz_old AS {Q(t)} WHERE {Q(t)}.__mz_row NOT IN (SELECT __mz_row FROM _mz_pairs)"
            : $"SELECT {string.Join(", ", columns.Select(c => $"{Pick(bySource, cl => Updated(cl, c), Col(t, c))} AS {Q(c)}"))} FROM _mz_old AS {Q(t)} WHERE {Q(t)}.__mz_row NOT IN (SELECT __mz_row FROM _mz_pairs) AND NOT ({Deleted(bySource)})";
        var matchedRows = $"SELECT {string.Join(", ", columns.Select(c => $"{Pick(matched, cl => Updated(cl, c), Col(t, c))} AS {Q(c)}"))} FROM _mz_old AS {Q(t)} JOIN _mz_source AS {Q(s)} ON {on} WHERE NOT ({Deleted(matched)})";
        var insertedRows = inserts.Count == 0
            ? null
            : $"SELECT {string.Join(", ", columns.Select(c => $"{Pick(inserts, cl => Inserted(cl, c), "NULL")} AS {Q(c)}"))} FROM _mz_source AS {Q(s)} WHERE NOT EXISTS (SELECT 1 FROM _mz_old AS {Q(t)} WHERE {on}) AND ({string.Join(" OR ", inserts.Select(c => c.Condition is null ? "TRUE" : E(c.Condition)))})";
        // Delta refuses a merge that would change one target row from several source rows.
        var duplicates = matched.Count == 0 ? "TRUE" : $"CASE WHEN EXISTS (SELECT 1 FROM _mz_pairs GROUP BY __mz_row HAVING count(*) > 1) THEN {fail}({JobRenderer.Literal($"MERGE into {target.Name}: several source rows matched one target row", dialect)}) ELSE TRUE END";
        var parts = new[] { keptTarget, matchedRows, insertedRows }.OfType<string>();
        return $"""
            WITH _mz_source AS (
            {JobRenderer.Print(source, dialect)}
            ),
            _mz_old AS ({old}),
            _mz_pairs AS ({pairs})
            SELECT * FROM (
            {string.Join("\nUNION ALL\n", parts)}
            ) AS _mz_merged
            WHERE {duplicates}
            """;
    }
}
