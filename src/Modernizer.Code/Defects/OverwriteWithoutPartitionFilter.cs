using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>A full overwrite of a table the job keeps across runs (it creates it if missing).</summary>
internal sealed class OverwriteWithoutPartitionFilter : IDefectDetector
{
    public string Kind => "overwrite_without_partition_filter";

    public IEnumerable<DefectHit> Detect(DefectContext context)
    {
        var persistent = context.Of<SqlFact>()
            .SelectMany(s => s.Summary.Findings.Where(f => f.Kind == "create_table_unpartitioned" || f.Kind == "create_table").Select(f => f.Detail.Split('|')[0]))
            .Concat(context.Of<SqlFact>().Where(s => s.Text.Render().Contains("IF NOT EXISTS", StringComparison.OrdinalIgnoreCase)).SelectMany(s => s.Summary.Writes.Select(w => w.Table)))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var write in context.Of<WriteFact>().Where(w => w.IsOverwrite && !w.HasPartitionFilter && persistent.Contains(w.Table)))
        {
            yield return new DefectHit(write.File, write.Line,
                $"{write.Table} is overwritten completely while the job only recomputes part of it",
                $"The job creates {write.Table} if missing (a table kept across runs) but overwrites it without PARTITION/replaceWhere: rows outside the recomputed window are deleted on every run.", 0.6);
        }
    }
}
