using System.Text.RegularExpressions;

namespace Modernizer.Code.Frontend;

/// <summary>Column names inside a Spark SQL expression string (selectExpr, expr, filter("...")):
/// identifiers that are not keywords, function names or quoted literals. Full statements go
/// through the Spark SQL parser; this only reads single expressions.</summary>
internal static partial class SqlExpressionScan
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "not", "null", "is", "in", "like", "rlike", "between", "case", "when", "then", "else", "end", "as",
        "true", "false", "cast", "distinct", "over", "partition", "by", "order", "asc", "desc", "rows", "range", "unbounded",
        "preceding", "following", "current", "row", "interval", "day", "days", "month", "months", "year", "years", "hour",
        "minute", "second", "int", "integer", "bigint", "string", "double", "float", "decimal", "date", "timestamp", "boolean",
        "long", "smallint", "tinyint", "nulls", "first", "last", "div", "exists", "any", "some", "all", "escape", "filter", "within", "group",
    };

    [GeneratedRegex(@"'(?:[^'\\]|\\.)*'|""(?:[^""\\]|\\.)*""|`(?<q>[^`]+)`|(?<id>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?<call>\s*\()?")]
    private static partial Regex Tokens();

    [GeneratedRegex(@"^(?<body>.+?)\s+(?:as\s+)?`?(?<alias>[A-Za-z_][A-Za-z0-9_]*)`?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Alias();

    public static HashSet<string> Identifiers(string sql)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in Tokens().Matches(sql))
        {
            if (match.Groups["q"].Success)
            {
                names.Add(match.Groups["q"].Value.ToLowerInvariant());
                continue;
            }

            if (!match.Groups["id"].Success || match.Groups["call"].Success)
            {
                continue;
            }

            var id = match.Groups["id"].Value;
            if (!Keywords.Contains(id) && !id.StartsWith("__hole_", StringComparison.Ordinal))
            {
                names.Add(id.ToLowerInvariant());
            }
        }

        return names;
    }

    /// <summary>Splits <c>expr AS alias</c> (or <c>expr alias</c>) into body and alias.</summary>
    public static (string Body, string? Alias) SplitAlias(string sql)
    {
        var trimmed = sql.Trim();
        var match = Alias().Match(trimmed);
        if (!match.Success)
        {
            return (trimmed, null);
        }

        var body = match.Groups["body"].Value.TrimEnd();
        var alias = match.Groups["alias"].Value;
        // "a AND b", "x IS NULL", "CASE ... END": the last word is part of the expression.
        var explicitAs = Regex.IsMatch(trimmed, @"\s+as\s+`?[A-Za-z_][A-Za-z0-9_]*`?\s*$", RegexOptions.IgnoreCase);
        if (!explicitAs && (Keywords.Contains(alias) || !(body.EndsWith(')') || body.EndsWith('`') || Regex.IsMatch(body, @"^[A-Za-z_][A-Za-z0-9_.]*$"))))
        {
            return (trimmed, null);
        }

        return (body, alias.ToLowerInvariant());
    }
}
