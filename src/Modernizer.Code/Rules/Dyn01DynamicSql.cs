using Modernizer.Code.Frontend;

namespace Modernizer.Code.Rules;

/// <summary>DYN01: SQL text built at run time from data values or parameters, or a statement
/// that changes a table whose name is interpolated (one finding per function).</summary>
internal sealed class Dyn01DynamicSql : IRule
{
    private static readonly string[] ChangingStatements = ["MERGE", "INSERT", "UPDATE", "DELETE", "DROP", "TRUNCATE", "ALTER", "CREATE"];

    public string Id => "DYN01";

    public string Title => "Dynamic SQL and table names";

    public string Why => "Values pasted into SQL text break on quotes and NULLs ('None'), invite injection, defeat plan caching, and hide the tables a job touches from lineage.";

    public string Replacement => "Parameter markers (spark.sql(query, args)) or DataFrame expressions; table names from configuration validated against the catalog, not pasted from data.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        var reported = new HashSet<(string, string?)>();
        foreach (var sql in context.Of<SqlFact>().Where(s => s.Dynamic))
        {
            var text = sql.Text.Render().TrimStart();
            var keyword = text.Split([' ', '\n', '\t', '\r'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToUpperInvariant() ?? string.Empty;
            var idempotentDdl = keyword == "CREATE" && text.Contains("IF NOT EXISTS", StringComparison.OrdinalIgnoreCase);
            var changesTable = ChangingStatements.Contains(keyword) && !idempotentDdl;
            if (sql.Text.IsKnown && !changesTable)
            {
                continue;
            }

            if (!reported.Add((sql.File, sql.Function ?? "line " + sql.Line)))
            {
                continue;
            }

            var line = sql.Text.FirstHoleLine > 0 ? sql.Text.FirstHoleLine : sql.Text.FirstInterpolationLine > 0 ? sql.Text.FirstInterpolationLine : sql.Line;
            var why = sql.Text.IsKnown ? $"{keyword} statement with an interpolated table name" : "SQL text built from values known only at run time";
            yield return new RuleHit(sql.File, line, Math.Max(sql.EndLine, line), why, sql.Function);
        }
    }
}
