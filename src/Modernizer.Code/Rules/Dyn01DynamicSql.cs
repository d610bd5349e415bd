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

    /// <summary>An interpolated (or concatenated) part right after a keyword that names a table.</summary>
    private static bool InterpolatesTableName(TextValue text)
    {
        var before = new System.Text.StringBuilder();
        foreach (var part in text.Parts)
        {
            if (part.Interpolated || part.Hole is not null)
            {
                var words = before.ToString().TrimEnd().Split([' ', '\n', '\t', '\r', '('], StringSplitOptions.RemoveEmptyEntries);
                var last = words.Length == 0 ? string.Empty : words[^1].ToUpperInvariant();
                if (last is "INTO" or "TABLE" or "EXISTS" or "MERGE" or "UPDATE" or "FROM" or "VIEW" or "OVERWRITE" or "TRUNCATE" || last.EndsWith('.'))
                {
                    return true;
                }
            }

            before.Append(part.Hole is null ? part.Literal : "{hole}");
        }

        return false;
    }

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        var reported = new HashSet<(string, string?)>();
        foreach (var sql in context.Of<SqlFact>().Where(s => s.Dynamic))
        {
            var text = sql.Text.Render().TrimStart();
            var keyword = text.Split([' ', '\n', '\t', '\r'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToUpperInvariant() ?? string.Empty;
            var idempotentDdl = keyword == "CREATE" && text.Contains("IF NOT EXISTS", StringComparison.OrdinalIgnoreCase);
            var changesTable = ChangingStatements.Contains(keyword) && !idempotentDdl;
            // Text built only from constants is as static as a literal, except where a changing
            // statement takes its table name from an interpolated value: the name then lives
            // outside the SQL (and outside lineage). A literal table with a constant value joined
            // in (a date, a limit) is not dynamic.
            if (sql.Text.IsKnown && !(changesTable && InterpolatesTableName(sql.Text)))
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
