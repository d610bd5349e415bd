using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>PRT01: a persistent table with a date column created without partitioning.</summary>
internal sealed class Prt01MissingPartitioning : IRule
{
    public string Id => "PRT01";

    public string Title => "Missing partitioning on large writes";

    public string Why => "Daily loads into an unpartitioned table rewrite or scan the whole table; date filters cannot prune files.";

    public string Replacement => "PARTITIONED BY (the date column) or liquid clustering (CLUSTER BY), and replaceWhere/partition overwrite for reloads.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        foreach (var sql in context.Of<SqlFact>())
        {
            foreach (var finding in sql.Summary.Findings.Where(f => f.Kind == "create_table_unpartitioned"))
            {
                var parts = finding.Detail.Split('|');
                if (parts.Length > 1 && parts[1].Length > 0)
                {
                    yield return new RuleHit(sql.File, sql.FileLine(finding.RelativeLine), sql.FileLine(finding.RelativeLine), $"{parts[0]} has date column(s) {parts[1]} but no PARTITIONED BY", sql.Function);
                }
            }
        }

        foreach (var write in context.Of<WriteFact>().Where(w => w.HasPartitionFilter && w.PartitionBy.IsEmpty && w.Method is "saveAsTable" or "save"))
        {
            yield return new RuleHit(write.File, write.Line, write.Line, $"replaceWhere overwrite of {write.Table} without partitionBy", write.Function);
        }
    }
}
