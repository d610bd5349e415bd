using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>PRT01: a persistent table with a date column created without partitioning.</summary>
internal sealed class Prt01MissingPartitioning : IRule
{
    public string Id => "PRT01";

    public string Title => "Missing partitioning on large writes";

    public string Why => "Daily loads into an unpartitioned table rewrite or scan the whole table; date filters cannot prune files.";

    public string Replacement => "PARTITIONED BY (the date column) or liquid clustering (CLUSTER BY), and replaceWhere/partition overwrite for reloads.";

    /// <summary>A bookkeeping table (a watermark, a run log, settings) holds a row or a few per
    /// run: partitioning it by its timestamp would make one tiny file per partition.</summary>
    private static bool IsControlTable(string table, string? columnCount)
    {
        var name = table.Split('.')[^1].ToLowerInvariant();
        var few = int.TryParse(columnCount, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count) && count is > 0 and <= 2;
        // Dimension tables (dim_date, customer_dim) are small lookups; facts are partitioned.
        var dimension = name.StartsWith("dim_", StringComparison.Ordinal) || name.EndsWith("_dim", StringComparison.Ordinal) || name.Contains("dimension", StringComparison.Ordinal);
        return few || dimension || name.Contains("watermark", StringComparison.Ordinal) || name.Contains("control", StringComparison.Ordinal) || name.Contains("checkpoint", StringComparison.Ordinal)
            || name.Contains("config", StringComparison.Ordinal) || name.Contains("metadata", StringComparison.Ordinal) || name.Contains("state", StringComparison.Ordinal)
            || name.Contains("last_run", StringComparison.Ordinal) || name.Contains("run_log", StringComparison.Ordinal) || name.EndsWith("_log", StringComparison.Ordinal);
    }

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        foreach (var sql in context.Of<SqlFact>())
        {
            foreach (var finding in sql.Summary.Findings.Where(f => f.Kind == "create_table_unpartitioned"))
            {
                var parts = finding.Detail.Split('|');
                if (parts.Length > 1 && parts[1].Length > 0 && !IsControlTable(parts[0], parts.Length > 3 ? parts[3] : null))
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
