using System.Collections.Frozen;

namespace Modernizer.Code.Sql.Syntax;

/// <summary>When a Spark identifier needs backticks, and how to add them.</summary>
public static class SqlIdentifiers
{
    /// <summary>Words that cannot stand as bare identifiers in our grammar (ANSI reserved words that
    /// the parser treats as clause boundaries or expression keywords).</summary>
    private static readonly FrozenSet<string> Reserved = new[]
    {
        "ALL", "AND", "ANTI", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "CREATE", "CROSS", "CURRENT_DATE",
        "CURRENT_TIMESTAMP", "CURRENT_USER", "DELETE", "DESC", "DISTINCT", "DISTRIBUTE", "DIV", "ELSE", "END",
        "EXCEPT", "EXISTS", "FALSE", "FILTER", "FOR", "FROM", "FULL", "GROUP", "HAVING", "ILIKE", "IN", "INNER",
        "INSERT", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT", "MATCHED",
        "MERGE", "MINUS", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "OUTER", "OVER", "OVERWRITE",
        "PARTITION", "PIVOT", "QUALIFY", "REGEXP", "RIGHT", "RLIKE", "SELECT", "SEMI", "SET", "SORT", "CLUSTER",
        "TABLESAMPLE", "THEN", "TIMESTAMP", "TRUE", "UNION", "UNPIVOT", "UPDATE", "USING", "VALUES", "VERSION",
        "WHEN", "WHERE", "WINDOW", "WITH", "DATE", "TRY_CAST", "EXTRACT", "IDENTIFIER", "ROWS", "RANGE",
        "UNBOUNDED", "PRECEDING", "FOLLOWING", "CURRENT", "ROW", "NULLS", "FIRST", "LAST", "ESCAPE", "IGNORE",
        "RESPECT", "TO", "TABLE", "VIEW", "TEMPORARY", "TEMP", "REPLACE", "IF", "ROLLUP", "CUBE", "GROUPING",
        "SETS", "UNKNOWN",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool NeedsQuotes(string name)
    {
        if (name.Length == 0 || Reserved.Contains(name))
        {
            return true;
        }

        if (char.IsAsciiDigit(name[0]) && name.All(char.IsAsciiDigit))
        {
            return true;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                continue;
            }

            // ${var} pieces glued to a name are substituted textually before parsing.
            if (c == '$' && i + 1 < name.Length && name[i + 1] == '{')
            {
                var close = name.IndexOf('}', i);
                if (close > i)
                {
                    i = close;
                    continue;
                }
            }

            return true;
        }

        return false;
    }

    /// <summary>The name, in backticks when it needs them (backticks inside are doubled).</summary>
    public static string Quote(string name) =>
        NeedsQuotes(name) ? "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`" : name;
}
