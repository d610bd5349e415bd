using System.Collections.Immutable;
using Modernizer.Code.Frontend;

namespace Modernizer.Code.Analysis;

/// <summary>Filters, joins, aggregations, windows, SCD handling, merges and error handling in the
/// order the job runs them, as the spec will state them.</summary>
internal static class TransformationDescriber
{
    public static ImmutableArray<Transformation> Describe(IReadOnlyList<Fact> facts)
    {
        var steps = new List<Transformation>();
        foreach (var fact in facts)
        {
            var step = fact switch
            {
                FilterFact filter => new Transformation("filter", fact.File, fact.Line, "keep rows where " + filter.Condition),
                JoinFact join => new Transformation("join", fact.File, fact.Line,
                    $"{join.JoinType} join of {Tables(join.Left)} with {Tables(join.Right)}" + (join.Keys.IsEmpty ? join.Condition is null ? string.Empty : " on " + join.Condition : " using (" + string.Join(", ", join.Keys) + ")")),
                AggregateFact aggregate => new Transformation("aggregation", fact.File, fact.Line,
                    (aggregate.Keys.IsEmpty ? "aggregate all rows" : "group by " + string.Join(", ", aggregate.Keys)) + ": " + string.Join(", ", aggregate.Aggregates)),
                WindowFact window => new Transformation("window", fact.File, fact.Line, window.Expression),
                MergeFact merge => new Transformation(ScdKind(merge), fact.File, fact.Line, $"MERGE into {merge.Target} {merge.Condition}: {string.Join("; ", merge.Clauses)}"),
                ExceptFact handler => new Transformation("error_handling", fact.File, fact.Line, handler.Handling + (handler.Swallowed ? " (error swallowed)" : string.Empty)),
                WriteFact write => new Transformation("write", fact.File, fact.Line,
                    $"{write.Method} {write.Table} mode={write.Mode}" + (write.PartitionBy.IsEmpty ? string.Empty : " partitionBy(" + string.Join(", ", write.PartitionBy) + ")")),
                _ => null,
            };
            if (step is not null)
            {
                steps.Add(step);
            }
        }

        var scd2 = DetectScd2(facts);
        if (scd2 is not null)
        {
            steps.Add(scd2);
        }

        return [.. steps.DistinctBy(s => (s.Kind, s.File, s.Line, s.Description))];
    }

    private static string ScdKind(MergeFact merge) =>
        merge.Clauses.Any(c => c.Contains("Insert", StringComparison.OrdinalIgnoreCase)) && merge.Clauses.Any(c => c.Contains("Update", StringComparison.OrdinalIgnoreCase))
            ? "scd_type_1" : "merge";

    /// <summary>SCD type 2: rows closed (is_current/valid_to set) and new current rows inserted into the same table.</summary>
    private static Transformation? DetectScd2(IReadOnlyList<Fact> facts)
    {
        var sql = facts.OfType<SqlFact>().ToArray();
        var closing = sql.FirstOrDefault(s => s.Summary.Writes.Any(w => w.Kind is "update" or "merge")
            && ContainsAny(s.Text.Render(), "is_current", "valid_to", "end_date", "current_flag"));
        if (closing is null)
        {
            return null;
        }

        var target = closing.Summary.Writes.First().Table;
        var inserting = sql.Any(s => s.Summary.Writes.Any(w => w.Table == target && w.Kind is "insert_into" or "merge"));
        return inserting
            ? new Transformation("scd_type_2", closing.File, closing.Line, $"{target} keeps history: current rows are closed (valid_to/is_current) and new versions inserted" + (closing.InLoop ? ", one row at a time" : string.Empty))
            : null;
    }

    private static bool ContainsAny(string text, params string[] words) => words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));

    private static string Tables(DataFrameValue frame) => frame.Sources.IsEmpty ? "driver data" : string.Join("+", frame.Sources.Order(StringComparer.Ordinal));
}
