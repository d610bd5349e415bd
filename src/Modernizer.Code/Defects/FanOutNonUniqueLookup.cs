using Modernizer.Code.Frontend;
using Modernizer.Code.Plan;

namespace Modernizer.Code.Defects;

/// <summary>A join to a table that may hold several rows per join key: rows multiply.</summary>
internal sealed class FanOutNonUniqueLookup : IDefectDetector
{
    public string Kind => "fan_out_non_unique_lookup";

    public IEnumerable<DefectHit> Detect(DefectContext context)
    {
        foreach (var join in context.Of<JoinFact>().Where(j => j.JoinType is "inner" or "left"))
        {
            var table = TableKeys.DirectTable(join.Right);
            if (table is null)
            {
                continue;
            }

            var keys = join.ConditionColumns;
            var ownIds = TableKeys.IdColumns(table);
            var parentIds = join.Left.Sources.SelectMany(TableKeys.IdColumns).ToHashSet();
            var versions = TableKeys.VersionColumns(context.Options.Schemas.ColumnsOf(table))
                .Concat(context.Options.VersionedTables.TryGetValue(table, out var known) ? [known] : [])
                .Where(v => !keys.Contains(v)).Distinct().ToArray();
            if (versions.Length > 0)
            {
                yield return new DefectHit(join.File, join.ConditionLine, $"{table} keeps several rows per {string.Join(", ", keys)} ({string.Join(", ", versions)}), so the join multiplies rows",
                    $"{table} has version columns ({string.Join(", ", versions)}) that the join does not use; every version matches.", 0.7);
                continue;
            }

            if (keys.Count > 0 && !keys.Any(ownIds.Contains) && !keys.Any(parentIds.Contains))
            {
                yield return new DefectHit(join.File, join.ConditionLine,
                    $"lookup join to {table} on ({string.Join(", ", keys.Order(StringComparer.Ordinal))}) assumes one row per key",
                    $"The join keys are not {table}'s id nor the id of the other side, and nothing makes them unique (no dedup, aggregation or latest-row filter); a second row per key (another source, a correction) duplicates the matching rows.", 0.55);
            }
        }

        foreach (var sql in context.Of<SqlFact>())
        {
            foreach (var finding in sql.Summary.Findings.Where(f => f.Kind == "join"))
            {
                var parts = finding.Detail.Split('|');
                foreach (var table in parts.Skip(1).Take(2).Where(t => !t.StartsWith("subquery", StringComparison.Ordinal)))
                {
                    var versions = TableKeys.VersionColumns(context.Options.Schemas.ColumnsOf(table))
                        .Concat(context.Options.VersionedTables.TryGetValue(table, out var known) ? [known] : []).Distinct().ToArray();
                    if (versions.Length > 0)
                    {
                        yield return new DefectHit(sql.File, sql.FileLine(finding.RelativeLine), $"{table} keeps several rows per key ({string.Join(", ", versions)}), so the join multiplies rows",
                            $"{table} has version columns ({string.Join(", ", versions)}) that the join does not use.", 0.65);
                    }
                }
            }
        }
    }
}
