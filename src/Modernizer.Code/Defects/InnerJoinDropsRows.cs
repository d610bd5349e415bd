using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>An inner join used to enrich rows from a master table by its id: rows whose id is
/// missing from the master disappear silently.</summary>
internal sealed class InnerJoinDropsRows : IDefectDetector
{
    public string Kind => "inner_join_drops_rows";

    public IEnumerable<DefectHit> Detect(DefectContext context)
    {
        foreach (var join in context.Of<JoinFact>().Where(j => j.JoinType == "inner"))
        {
            var table = TableKeys.DirectTable(join.Right);
            if (table is null || join.Right.Has(FrameTraits.Filtered))
            {
                continue;
            }

            var ids = TableKeys.IdColumns(table);
            var key = join.ConditionColumns.FirstOrDefault(ids.Contains);
            if (key is null)
            {
                continue;
            }

            yield return new DefectHit(
                join.File,
                join.Line,
                $"inner join to {table} on {key} drops every row whose {key} is missing from {table}",
                $"{table} is joined unfiltered by its own key to enrich the rows (a lookup); an inner join silently removes rows without a match instead of keeping them with nulls. The legacy output excludes them, so the rewrite must too (P1).",
                0.6);
        }
    }
}
